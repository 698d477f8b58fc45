"""Accreditation evidence that lapses: its dates, the rule between them, the page's badges and the daily
reminders to the directory's keepers (once per document and expiry date, however often the scan runs)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from consultants.models import AccreditationDocument, Consultant
from consultants.services import document_upload
from consultants.tests.factories import PDF_BYTES, ConsultantFactory, DocumentFactory
from core.exceptions import DomainError, NotAllowed
from core.models import Notification
from core.reminders import reminders_collect, reminders_run
from core.roles import Role
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
EXPIRING = "consultants.accreditation_expiring"
EXPIRED = "consultants.accreditation_expired"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def pdf():
    return SimpleUploadedFile("certificado.pdf", PDF_BYTES)


# --- The rule: an expiry date is not before the issue date ------------------------------------------------


def test_an_expiry_before_the_issue_date_is_refused_by_the_service_in_spanish(administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    with pytest.raises(DomainError) as refused:
        document_upload(
            user=administrator, consultant=ana, kind="methodology", file=pdf(), issued_on=days(0), expires_on=days(-1)
        )
    assert refused.value.field == "expires_on"
    assert str(refused.value) == "La fecha de vencimiento no puede ser anterior a la de emisión."
    assert not AccreditationDocument.objects.exists()


def test_the_model_and_the_database_refuse_an_expiry_before_the_issue_date(administrator, lima):
    document = DocumentFactory.build(
        consultant=ConsultantFactory(centres=[lima]), uploaded_by=administrator, issued_on=days(0), expires_on=days(-1)
    )
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    document = DocumentFactory(consultant=document.consultant, issued_on=days(0))
    assert refused.value.message_dict["expires_on"] == [
        "La fecha de vencimiento no puede ser anterior a la de emisión."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationDocument.objects.filter(pk=document.pk).update(issued_on=days(5), expires_on=days(1))


def test_either_date_alone_or_an_expiry_on_the_issue_day_is_accepted(administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    for issued_on, expires_on in ((None, days(-1)), (days(3), None), (days(3), days(3))):
        document = document_upload(
            user=administrator, consultant=ana, kind="degree", file=pdf(), issued_on=issued_on, expires_on=expires_on
        )
        document.full_clean()
        assert (document.issued_on, document.expires_on) == (issued_on, expires_on)


def test_the_expiry_state_is_expired_soon_or_nothing():
    def state(expires_on):
        return AccreditationDocument(expires_on=expires_on).expiry_state(TODAY)

    assert [state(None), state(days(31)), state(days(30)), state(days(0)), state(days(-1))] == [
        "",
        "",
        "expires_soon",
        "expires_soon",
        "expired",
    ]


# --- Who may set it: only who may upload today -----------------------------------------------------------


@pytest.mark.parametrize("fixture", ["consultant", "coordinator", "promoter"])
def test_no_one_but_the_administrator_may_record_an_expiry_date(request, fixture, client_for, lima):
    ana = ConsultantFactory(centres=[lima])
    user = request.getfixturevalue(fixture)
    with pytest.raises(NotAllowed):
        document_upload(user=user, consultant=ana, kind="degree", file=pdf(), expires_on=days(10))
    response = client_for(user).post(
        reverse("consultants:document_upload", args=[ana.pk]),
        {"kind": "degree", "file": pdf(), "expires_on": "2026-04-01"},
    )
    assert response.status_code == 403
    assert not AccreditationDocument.objects.exists()


# --- The page -------------------------------------------------------------------------------------------


def test_the_administrator_uploads_with_dates_and_the_page_shows_them_with_a_badge(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    client = client_for(administrator)
    soon = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("consultants:document_upload", args=[ana.pk]),
        {"kind": "methodology", "file": pdf(), "issued_on": "2024-05-01", "expires_on": soon.isoformat()},
    )
    assert response.status_code == 302
    document = AccreditationDocument.objects.get(consultant=ana)
    assert (document.issued_on, document.expires_on) == (datetime.date(2024, 5, 1), soon)

    page = client.get(reverse("consultants:consultant_detail", args=[ana.pk])).content.decode()
    assert f"Vence el {soon:%d/%m/%Y}" in page and "Emitido el 01/05/2024" in page
    assert ">vence pronto</span>" in page and "evidencia por vencer" in page
    assert 'name="expires_on"' in page  # the upload form asks for it


def test_an_expired_document_shows_the_expired_badge_and_a_far_one_none(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    today = timezone.localdate()
    DocumentFactory(consultant=ana, kind="degree", expires_on=today + datetime.timedelta(days=400))
    client = client_for(administrator)
    page = client.get(reverse("consultants:consultant_detail", args=[ana.pk])).content.decode()
    assert 'data-testid="expiry-badge"' not in page

    DocumentFactory(consultant=ana, kind="methodology", expires_on=today - datetime.timedelta(days=1))
    page = client.get(reverse("consultants:consultant_detail", args=[ana.pk])).content.decode()
    assert ">vencido</span>" in page and "evidencia vencida" in page


def test_an_upload_expiring_before_its_issue_is_refused_on_the_page(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    response = client_for(administrator).post(
        reverse("consultants:document_upload", args=[ana.pk]),
        {"kind": "degree", "file": pdf(), "issued_on": "2026-05-01", "expires_on": "2026-04-01"},
        follow=True,
    )
    assert "La fecha de vencimiento no puede ser anterior a la de emisión." in response.content.decode()
    assert not AccreditationDocument.objects.exists()


# --- The reminders --------------------------------------------------------------------------------------


@pytest.fixture
def keepers(administrator):
    """Every active administrator keeps the directory, whatever their centre; an inactive one is not told."""
    other = UserFactory(username="admin2", roles=[Role.ADMINISTRATOR])
    UserFactory(username="gone", roles=[Role.ADMINISTRATOR], is_active=False)
    return {administrator, other}


def test_a_document_expiring_in_30_days_is_reminded_once_to_each_administrator(keepers, coordinator, lima):
    ana = ConsultantFactory(first_name="Ana", last_name="Rojas", centres=[lima])
    document = DocumentFactory(consultant=ana, kind="methodology", expires_on=days(30))

    assert reminders_collect(today=TODAY) == 2
    assert reminders_collect(today=TODAY) == 0  # the scan runs again the same day
    assert reminders_collect(today=days(1)) == 0  # and the next: same document, same due date

    reminders = Notification.objects.filter(kind=EXPIRING)
    assert {n.recipient for n in reminders} == keepers
    first = reminders.first()
    assert (first.item, first.due_on) == (f"consultants.document:{document.pk}", days(30))
    assert first.message.startswith("Acreditación vence el 01/04/2026: Ana Rojas,")
    assert first.url == reverse("consultants:consultant_detail", args=[ana.pk])
    assert not Notification.objects.filter(recipient=coordinator).exists()


def test_the_daily_run_twice_sends_one_notification_and_one_digest(administrator, lima):
    DocumentFactory(consultant=ConsultantFactory(centres=[lima]), expires_on=timezone.localdate())
    from django.core import mail

    assert reminders_run()["created"] == 1
    assert reminders_run() == {"created": 0, "emails": 0}
    assert Notification.objects.filter(recipient=administrator).count() == 1
    assert len(mail.outbox) == 1


def test_a_lapsed_document_of_a_validated_consultant_is_reminded_as_expired(administrator, lima):
    ana = ConsultantFactory(centres=[lima], status=Consultant.Status.VALIDATED)
    document = DocumentFactory(consultant=ana, kind="degree", expires_on=days(-3))
    # A rejected or inactive entry offers nobody on lapsed evidence: not reminded.
    DocumentFactory(consultant=ConsultantFactory(centres=[lima], status="inactive"), expires_on=days(-3))

    reminders_collect(today=TODAY)

    reminder = Notification.objects.get()
    assert (reminder.kind, reminder.item, reminder.due_on, reminder.recipient) == (
        EXPIRED,
        f"consultants.document:{document.pk}",
        days(-3),
        administrator,
    )
    assert "sigue validado" in reminder.message
    assert reminders_collect(today=days(1)) == 0


def test_documents_far_from_expiry_without_a_date_or_replaced_are_not_reminded(administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    DocumentFactory(consultant=ana, kind="degree")  # never expires
    DocumentFactory(consultant=ana, kind="experience", expires_on=days(31))  # outside the window
    # A lapsing certificate already replaced by a newer one of the same kind.
    DocumentFactory(consultant=ana, kind="methodology", expires_on=days(5))
    DocumentFactory(consultant=ana, kind="methodology", expires_on=days(400))
    # A lapsed one replaced by one without expiry.
    DocumentFactory(consultant=ana, kind="degree", expires_on=days(-10))

    assert reminders_collect(today=TODAY) == 0
    assert not Notification.objects.exists()
