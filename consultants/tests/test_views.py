"""The consultant directory's pages: who may read and change it, evidence uploads, filters and query counts."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from clients.tests.factories import CompanyFactory, NeedFactory, subsector
from consultants.models import AccreditationDocument, Consultant
from consultants.services import MAX_DOCUMENT_BYTES
from consultants.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    ConsultantFactory,
    DocumentFactory,
    area,
    document_each_requirement,
)

pytestmark = pytest.mark.django_db


def detail_url(consultant):
    return reverse("consultants:consultant_detail", args=[consultant.pk])


def consultant_data(centre, **overrides):
    data = {
        "first_name": "Rosa",
        "last_name": "Quispe Mamani",
        "email": "rosa.quispe@example.pe",
        "phone": "987654321",
        "profession": "Ingeniera en industrias alimentarias",
        "hourly_fee": "45.00",
        "notes": "",
        "user": "",
        "subsectors": [subsector("Lácteos").pk],
        "areas": [area("production").pk],
        "centres": [centre.pk],
    }
    data.update(overrides)
    return data


def upload(client, consultant, name, content, kind="degree"):
    return client.post(
        reverse("consultants:document_upload", args=[consultant.pk]),
        {"kind": kind, "description": "Título profesional", "file": SimpleUploadedFile(name, content)},
    )


def names(response):
    return sorted(str(c) for c in response.context["page_obj"])


# --- Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["coordinator", "national_manager", "administrator"])
def test_managers_may_read_the_directory_a_consultants_page_and_its_history(request, client_for, fixture, lima):
    ana = ConsultantFactory(first_name="Ana", last_name="Rojas", centres=[lima])
    client = client_for(request.getfixturevalue(fixture))
    response = client.get(reverse("consultants:consultant_list"))
    assert response.status_code == 200
    assert names(response) == ["Ana Rojas"]
    assert client.get(detail_url(ana)).context["consultant"] == ana
    assert client.get(reverse("consultants:consultant_history", args=[ana.pk])).context["object"] == ana


@pytest.mark.parametrize("fixture", ["promoter", "consultant", "front_desk", "credit_officer"])
def test_other_staff_cannot_open_the_directory(request, client_for, fixture, lima):
    ana = ConsultantFactory(centres=[lima])
    client = client_for(request.getfixturevalue(fixture))
    assert client.get(reverse("consultants:consultant_list")).status_code == 403
    assert client.get(detail_url(ana)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("consultants:consultant_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_coordinator_reads_but_cannot_add_change_validate_or_upload(client_for, coordinator, lima):
    ana = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED, profession="Economista")
    DocumentFactory(consultant=ana)
    client = client_for(coordinator)
    assert client.get(reverse("consultants:consultant_create")).status_code == 403
    assert client.post(reverse("consultants:consultant_create"), consultant_data(lima)).status_code == 403
    update_url = reverse("consultants:consultant_update", args=[ana.pk])
    assert client.post(update_url, consultant_data(lima)).status_code == 403
    status_url = reverse("consultants:consultant_status", args=[ana.pk])
    assert client.post(status_url, {"status": "validated"}).status_code == 403
    assert upload(client, ana, "titulo.pdf", PDF_BYTES).status_code == 403
    ana.refresh_from_db()
    assert ana.status == Consultant.Status.PROPOSED
    assert ana.profession == "Economista"
    assert ana.documents.count() == 1
    assert Consultant.objects.count() == 1


def test_a_lima_coordinator_cannot_see_a_consultant_serving_only_huancayo(client_for, coordinator, lima, huancayo):
    ConsultantFactory(first_name="Ana", last_name="Rojas", centres=[lima])
    both = ConsultantFactory(first_name="Beto", last_name="Cruz", centres=[lima, huancayo])
    hyo = ConsultantFactory(first_name="Carla", last_name="Huamán", centres=[huancayo])
    client = client_for(coordinator)
    assert names(client.get(reverse("consultants:consultant_list"))) == ["Ana Rojas", "Beto Cruz"]
    assert client.get(detail_url(both)).status_code == 200
    assert client.get(detail_url(hyo)).status_code == 404
    assert client.get(reverse("consultants:consultant_history", args=[hyo.pk])).status_code == 404


def test_the_national_manager_sees_every_centres_consultants_but_cannot_change_them(
    client_for, national_manager, huancayo
):
    hyo = ConsultantFactory(first_name="Carla", last_name="Huamán", centres=[huancayo])
    client = client_for(national_manager)
    assert names(client.get(reverse("consultants:consultant_list"))) == ["Carla Huamán"]
    assert client.get(reverse("consultants:consultant_update", args=[hyo.pk])).status_code == 403


def test_the_status_and_upload_urls_only_take_posts(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    client = client_for(administrator)
    assert client.get(reverse("consultants:consultant_status", args=[ana.pk])).status_code == 405
    assert client.get(reverse("consultants:document_upload", args=[ana.pk])).status_code == 405


# --- Create and update -----------------------------------------------------------------------


def test_the_administrator_adds_a_consultant_who_starts_as_proposed(client_for, administrator, lima, huancayo):
    client = client_for(administrator)
    assert client.get(reverse("consultants:consultant_create")).status_code == 200
    response = client.post(
        reverse("consultants:consultant_create"), consultant_data(lima, centres=[lima.pk, huancayo.pk])
    )
    rosa = Consultant.objects.get(last_name="Quispe Mamani")
    assert response.status_code == 302
    assert response["Location"] == detail_url(rosa)
    assert rosa.status == Consultant.Status.PROPOSED
    assert rosa.status_decided_by is None
    assert rosa.hourly_fee == Decimal("45.00")
    assert set(rosa.centres.all()) == {lima, huancayo}
    assert [s.name for s in rosa.subsectors.all()] == ["Lácteos"]
    assert [a.code for a in rosa.areas.all()] == ["production"]


def test_a_consultant_without_a_centre_or_with_a_negative_fee_is_not_saved(client_for, administrator, lima):
    client = client_for(administrator)
    no_centre = client.post(reverse("consultants:consultant_create"), consultant_data(lima, centres=[]))
    assert no_centre.status_code == 200
    assert "Este campo es requerido." in no_centre.context["form"].errors["centres"]
    negative = client.post(reverse("consultants:consultant_create"), consultant_data(lima, hourly_fee="-1"))
    assert negative.status_code == 200
    assert "hourly_fee" in negative.context["form"].errors
    assert not Consultant.objects.exists()


def test_a_user_account_can_be_linked_only_to_one_consultant(client_for, administrator, consultant, lima):
    ConsultantFactory(centres=[lima], user=consultant)
    response = client_for(administrator).post(
        reverse("consultants:consultant_create"), consultant_data(lima, user=consultant.pk)
    )
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert Consultant.objects.count() == 1


def test_only_users_with_the_consultant_role_can_be_linked(client_for, administrator, consultant, promoter, lima):
    form = client_for(administrator).get(reverse("consultants:consultant_create")).context["form"]
    assert list(form.fields["user"].queryset) == [consultant]


def test_the_administrator_edits_a_consultant_and_the_history_shows_the_change(client_for, administrator, lima):
    ana = ConsultantFactory(first_name="Ana", last_name="Rojas", centres=[lima], profession="Economista")
    client = client_for(administrator)
    form = client.get(reverse("consultants:consultant_update", args=[ana.pk])).context["form"]
    assert form["centres"].value() == [lima.pk]
    response = client.post(
        reverse("consultants:consultant_update", args=[ana.pk]),
        consultant_data(lima, first_name="Ana", last_name="Rojas", profession="Economista agraria", subsectors=[]),
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.profession == "Economista agraria"
    assert not ana.subsectors.exists()
    rows = client.get(reverse("consultants:consultant_history", args=[ana.pk])).context["rows"]
    latest = rows[0]
    assert latest["record"].history_user == administrator
    assert {"old": "Economista", "new": "Economista agraria"} in [
        {"old": c["old"], "new": c["new"]} for c in latest["changes"]
    ]


# --- Validation status -------------------------------------------------------------------------


def test_a_consultant_without_documents_is_not_validated(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED)
    response = client_for(administrator).post(
        reverse("consultants:consultant_status", args=[ana.pk]), {"status": "validated"}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.status == Consultant.Status.PROPOSED
    assert ana.status_decided_by is None
    assert ana.status_decided_at is None


def test_validation_records_who_decided_and_when_and_shows_in_history(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED)
    document_each_requirement(ana)
    client = client_for(administrator)
    before = timezone.now()
    response = client.post(reverse("consultants:consultant_status", args=[ana.pk]), {"status": "validated"})
    assert response.status_code == 302
    assert response["Location"] == detail_url(ana)
    ana.refresh_from_db()
    assert ana.status == Consultant.Status.VALIDATED
    assert ana.status_decided_by == administrator
    assert ana.status_decided_at >= before
    page = client.get(detail_url(ana))
    assert page.context["consultant"].status_decided_by == administrator
    rows = client.get(reverse("consultants:consultant_history", args=[ana.pk])).context["rows"]
    assert ("proposed", "validated") in [(c["old"], c["new"]) for c in rows[0]["changes"]]


def test_an_unknown_status_changes_nothing(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED)
    client_for(administrator).post(reverse("consultants:consultant_status", args=[ana.pk]), {"status": "boss"})
    ana.refresh_from_db()
    assert ana.status == Consultant.Status.PROPOSED


# --- Accreditation documents ---------------------------------------------------------------------


def test_the_administrator_uploads_a_real_pdf(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    client = client_for(administrator)
    response = upload(client, ana, "titulo.pdf", PDF_BYTES)
    assert response.status_code == 302
    document = AccreditationDocument.objects.get(consultant=ana)
    assert document.kind == "degree"
    assert document.uploaded_by == administrator
    assert document.file.read() == PDF_BYTES
    assert client.get(detail_url(ana)).context["documents"] == [document]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("titulo.pdf", EXE_BYTES),  # an .exe renamed .pdf
        ("cv.docx", b"PK\x03\x04" + b"\x00" * 32),
        ("grande.pdf", PDF_BYTES + b"0" * MAX_DOCUMENT_BYTES),
    ],
    ids=["exe-renamed-pdf", "docx", "over-5-mb"],
)
def test_an_upload_that_is_not_a_real_pdf_jpg_or_png_up_to_5_mb_is_refused(
    client_for, administrator, lima, name, content
):
    ana = ConsultantFactory(centres=[lima])
    response = upload(client_for(administrator), ana, name, content)
    assert response.status_code == 302
    assert response["Location"] == detail_url(ana)
    assert not AccreditationDocument.objects.exists()


def test_an_upload_without_a_file_is_refused(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    client_for(administrator).post(reverse("consultants:document_upload", args=[ana.pk]), {"kind": "degree"})
    assert not AccreditationDocument.objects.exists()


# --- List: filters, sorting, export, queries ---------------------------------------------------


def test_the_unasked_filter_hides_consultants_whose_subsector_is_in_an_open_need(client_for, coordinator, lima):
    dairy, bakery = subsector("Lácteos"), subsector("Panificación y pastelería")
    ConsultantFactory(first_name="Ana", last_name="Rojas", centres=[lima], subsectors=[dairy])
    ConsultantFactory(first_name="Beto", last_name="Cruz", centres=[lima], subsectors=[bakery])
    NeedFactory(company=CompanyFactory(centre=lima, subsector=bakery), need_type="assistance")
    client = client_for(coordinator)
    assert names(client.get(reverse("consultants:consultant_list"), {"unasked": "on"})) == ["Ana Rojas"]
    assert names(client.get(reverse("consultants:consultant_list"))) == ["Ana Rojas", "Beto Cruz"]


def test_the_list_searches_filters_and_sorts(client_for, administrator, lima, huancayo):
    dairy = subsector("Lácteos")
    ConsultantFactory(
        first_name="Ana", last_name="Rojas", centres=[lima], profession="Economista", hourly_fee=Decimal("60")
    )
    beto = ConsultantFactory(first_name="Beto", last_name="Cruz", centres=[huancayo], subsectors=[dairy])
    beto.areas.add(area("legal"))
    ConsultantFactory(
        first_name="Carla",
        last_name="Díaz",
        centres=[lima],
        status=Consultant.Status.REJECTED,
        hourly_fee=Decimal("30"),
    )
    client = client_for(administrator)
    url = reverse("consultants:consultant_list")
    assert names(client.get(url, {"q": "economista"})) == ["Ana Rojas"]
    assert names(client.get(url, {"q": "beto cruz"})) == ["Beto Cruz"]
    assert names(client.get(url, {"status": "rejected"})) == ["Carla Díaz"]
    assert names(client.get(url, {"subsector": dairy.pk})) == ["Beto Cruz"]
    assert names(client.get(url, {"area": area("legal").pk})) == ["Beto Cruz"]
    assert names(client.get(url, {"centre": huancayo.pk})) == ["Beto Cruz"]
    by_fee = client.get(url, {"o": "-fee"}).context["page_obj"]
    assert [str(c) for c in by_fee] == ["Ana Rojas", "Beto Cruz", "Carla Díaz"]


def test_the_export_holds_the_filtered_rows(client_for, administrator, lima):
    from openpyxl import load_workbook

    dairy = subsector("Lácteos")
    ana = ConsultantFactory(first_name="Ana", last_name="Rojas", centres=[lima], subsectors=[dairy])
    DocumentFactory(consultant=ana)
    ConsultantFactory(first_name="Carla", last_name="Díaz", centres=[lima], status=Consultant.Status.REJECTED)
    client = client_for(administrator)
    response = client.get(reverse("consultants:consultant_list"), {"status": "validated", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2
    row = lines[1].split(",")
    assert row[0] == "Ana Rojas"
    assert "Lácteos" in lines[1]
    assert row[-1] == "1"  # documents
    assert "Carla Díaz" not in "\n".join(lines)
    xlsx = client.get(reverse("consultants:consultant_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == ["Ana Rojas", "Carla Díaz"]


def test_the_list_marks_consultants_without_evidence(client_for, administrator, lima):
    ana = ConsultantFactory(first_name="Ana", last_name="Rojas", centres=[lima])
    ConsultantFactory(first_name="Beto", last_name="Cruz", centres=[lima])
    DocumentFactory(consultant=ana)
    page = client_for(administrator).get(reverse("consultants:consultant_list")).context["page_obj"]
    assert {str(c): c.documents_count for c in page} == {"Ana Rojas": 1, "Beto Cruz": 0}


def _populate(n, lima, user):
    dairy, bakery = subsector("Lácteos"), subsector("Panificación y pastelería")
    for i in range(n):
        c = ConsultantFactory(last_name=f"Consultor {i:03d}", centres=[lima], subsectors=[dairy, bakery])
        c.areas.add(area("production"), area("management"))
        DocumentFactory(consultant=c, uploaded_by=user)


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_queries_with_3_and_with_30_consultants(client_for, coordinator, administrator, lima):
    client = client_for(coordinator)
    url = reverse("consultants:consultant_list")
    _populate(3, lima, administrator)
    few = (_queries(client, url), _queries(client, url, {"idle": "on", "unasked": "on", "o": "-score"}))
    _populate(27, lima, administrator)
    many = (_queries(client, url), _queries(client, url, {"idle": "on", "unasked": "on", "o": "-score"}))
    assert few == many


def test_the_consultant_page_runs_the_same_queries_however_many_documents_it_holds(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    client = client_for(administrator)
    DocumentFactory(consultant=ana, uploaded_by=administrator)
    few = _queries(client, detail_url(ana))
    for _ in range(5):
        DocumentFactory(consultant=ana)
    assert _queries(client, detail_url(ana)) == few
    assert len(client.get(detail_url(ana)).context["documents"]) == 6


# --- Requirements and buttons ------------------------------------------------------------------


def test_the_consultant_page_lists_the_requirements_still_missing(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED)
    DocumentFactory(consultant=ana, kind="experience")
    client = client_for(administrator)

    page = client.get(detail_url(ana))

    kinds = AccreditationDocument.Kind
    assert [str(label) for label in page.context["missing_requirements"]] == [
        str(kinds.DEGREE.label),
        str(kinds.METHODOLOGY.label),
    ]
    with translation.override("es"):
        assert "Capacitación en metodología de consultoría (o referencias)" in page.content.decode()

    DocumentFactory(consultant=ana, kind="degree")
    DocumentFactory(consultant=ana, kind="methodology")
    complete = client.get(detail_url(ana))
    assert complete.context["missing_requirements"] == []
    assert 'data-testid="missing-requirements"' not in complete.content.decode()


def test_validating_from_the_page_without_every_requirement_says_what_is_missing(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED)
    DocumentFactory(consultant=ana, kind="degree")
    DocumentFactory(consultant=ana, kind="experience")
    client = client_for(administrator)

    response = client.post(
        reverse("consultants:consultant_status", args=[ana.pk]), {"status": "validated"}, follow=True
    )

    shown = [str(m) for m in response.context["messages"]]
    assert any("Capacitación en metodología de consultoría" in m for m in shown), shown
    ana.refresh_from_db()
    assert ana.status == Consultant.Status.PROPOSED


@pytest.mark.parametrize(
    ("fixture", "buttons"),
    [
        (
            "administrator",
            {"consultant_view", "history_view", "consultant_edit", "consultant_validate", "document_upload"},
        ),
        ("coordinator", {"consultant_view", "history_view"}),
        ("national_manager", {"consultant_view", "history_view"}),
    ],
)
def test_the_page_shows_the_buttons_the_policy_allows(request, client_for, lima, fixture, buttons):
    ana = ConsultantFactory(centres=[lima])
    client = client_for(request.getfixturevalue(fixture))

    page = client.get(detail_url(ana))

    assert set(page.context["allowed"]) == buttons
    body = page.content.decode()
    writes = "consultant_edit" in buttons
    assert (reverse("consultants:consultant_update", args=[ana.pk]) in body) is writes
    assert (reverse("consultants:consultant_status", args=[ana.pk]) in body) is writes
    assert (reverse("consultants:document_upload", args=[ana.pk]) in body) is writes
    assert reverse("consultants:consultant_history", args=[ana.pk]) in body
    listing = client.get(reverse("consultants:consultant_list")).content.decode()
    assert (reverse("consultants:consultant_create") in listing) is writes


def test_the_pages_keep_the_addresses_they_had_under_assistance(lima):
    ana = ConsultantFactory(centres=[lima])
    assert reverse("consultants:consultant_list") == "/assistance/consultants/"
    assert reverse("consultants:consultant_detail", args=[ana.pk]) == f"/assistance/consultants/{ana.pk}/"


@pytest.mark.parametrize(
    ("fixture", "shown"),
    [("coordinator", True), ("national_manager", True), ("administrator", True), ("promoter", False)],
)
def test_the_menu_shows_the_directory_to_whom_the_policy_lets_read_it(request, client_for, fixture, shown):
    body = client_for(request.getfixturevalue(fixture)).get(reverse("home")).content.decode()
    assert (f'href="{reverse("consultants:consultant_list")}"' in body) is shown


def test_the_admin_keeps_the_directory_with_history_but_leaves_validation_to_its_rule(client, lima):
    from core.tests.factories import UserFactory

    superuser = UserFactory(is_staff=True, is_superuser=True)
    ana = ConsultantFactory(centres=[lima])
    DocumentFactory(consultant=ana)
    client.force_login(superuser)

    for url in (
        reverse("admin:consultants_consultant_changelist"),
        reverse("admin:consultants_consultant_change", args=[ana.pk]),
        reverse("admin:consultants_consultant_history", args=[ana.pk]),
        reverse("admin:consultants_specialtyarea_changelist"),
        reverse("admin:consultants_accreditationdocument_changelist"),
        reverse("admin:assistance_servicetype_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    # The status changes only through consultant_set_status (evidence of the three requirements).
    change_form = client.get(reverse("admin:consultants_consultant_change", args=[ana.pk])).content.decode()
    assert 'name="status"' not in change_form
    assert 'name="profession"' in change_form
