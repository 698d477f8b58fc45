import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services as client_services
from clients.models import Need, NeedType
from clients.tests.factories import CompanyFactory
from consultations import selectors, services
from consultations.models import Consultation
from consultations.tests.factories import ConsultationFactory, topic
from core.exceptions import DomainError, NotAllowed
from core.models import CentreSettings

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    now = timezone.now()
    fields = {
        "topic": topic("Cursos de capacitación"),
        "channel": "visit",
        "question": "¿Hay un curso de buenas prácticas de manufactura?",
        "answer": "Sí, en marzo.",
        "started_at": now - datetime.timedelta(minutes=4),
        "ended_at": now,
        "contact_name": "",
    }
    fields.update(overrides)
    return fields


def test_a_referral_to_a_course_records_a_training_need_of_the_company(front_desk, lima):
    company = CompanyFactory(centre=lima)
    consultation = services.consultation_create(
        user=front_desk,
        centre=lima,
        fields=_fields(company=company, referral="training", referral_course="BPM en panaderías (oferta 12)"),
    )
    need = consultation.need
    assert need.need_type == NeedType.TRAINING
    assert need.source == "consultation"
    assert need.company == company and need.status == Need.Status.OPEN
    assert "BPM en panaderías" in need.note


def test_the_training_need_shows_in_the_clients_needs_list(client_for, front_desk, coordinator, lima):
    company = CompanyFactory(centre=lima, legal_name="Panificadora Los Andes")
    services.consultation_create(user=front_desk, centre=lima, fields=_fields(company=company, referral="training"))
    response = client_for(coordinator).get(reverse("clients:need_list"), {"need_type": "training"})
    needs = list(response.context["page_obj"])
    assert [(n.company, n.need_type, n.source) for n in needs] == [(company, "training", "consultation")]


def _conversion(user):
    rows = selectors.conversion_by(selectors.consultation_list(user=user), user=user, field="topic__name")
    return {row["label"]: (row["referred"], row["converted"]) for row in rows}


def test_a_referral_answered_within_the_window_counts_as_converted(front_desk, coordinator, lima):
    company = CompanyFactory(centre=lima)
    consultation = services.consultation_create(
        user=front_desk, centre=lima, fields=_fields(company=company, referral="training")
    )
    assert _conversion(coordinator) == {"Cursos de capacitación": (1, 0)}
    # The training app will do this when the person enrols in the course.
    client_services.need_mark_answered(user=coordinator, need=consultation.need, answered_by="Curso BPM")
    assert _conversion(coordinator) == {"Cursos de capacitación": (1, 1)}


def test_a_referral_answered_after_the_window_does_not_count(front_desk, coordinator, lima):
    company = CompanyFactory(centre=lima)
    long_ago = timezone.now() - datetime.timedelta(days=120)
    consultation = services.consultation_create(
        user=front_desk,
        centre=lima,
        fields=_fields(
            company=company,
            referral="training",
            started_at=long_ago,
            ended_at=long_ago + datetime.timedelta(minutes=5),
        ),
    )
    client_services.need_mark_answered(user=coordinator, need=consultation.need, answered_by="Curso BPM")
    assert _conversion(coordinator) == {"Cursos de capacitación": (1, 0)}


def test_the_window_is_the_centres_setting(front_desk, coordinator, lima):
    CentreSettings.objects.create(centre=lima, referral_window_days=200)
    company = CompanyFactory(centre=lima)
    long_ago = timezone.now() - datetime.timedelta(days=120)
    consultation = services.consultation_create(
        user=front_desk,
        centre=lima,
        fields=_fields(company=company, referral="credit", started_at=long_ago, ended_at=long_ago),
    )
    client_services.need_mark_answered(user=coordinator, need=consultation.need, answered_by="Préstamo 7")
    assert _conversion(coordinator) == {"Cursos de capacitación": (1, 1)}


def test_a_consultation_over_the_limit_is_saved_and_flagged(front_desk, lima):
    now = timezone.now()
    long = services.consultation_create(
        user=front_desk,
        centre=lima,
        fields=_fields(contact_name="Ana", started_at=now - datetime.timedelta(minutes=14), ended_at=now),
    )
    short = services.consultation_create(
        user=front_desk,
        centre=lima,
        fields=_fields(contact_name="Ana", started_at=now - datetime.timedelta(minutes=9), ended_at=now),
    )
    assert long.over_limit and long.duration_seconds == 14 * 60
    assert not short.over_limit


def test_the_limit_is_the_centres_setting(front_desk, lima):
    CentreSettings.objects.create(centre=lima, consultation_limit_minutes=5)
    now = timezone.now()
    consultation = services.consultation_create(
        user=front_desk,
        centre=lima,
        fields=_fields(contact_name="Ana", started_at=now - datetime.timedelta(minutes=6), ended_at=now),
    )
    assert consultation.over_limit


def test_an_end_before_the_start_is_refused_in_spanish_and_nothing_is_saved(client_for, front_desk, lima):
    now = timezone.localtime()
    response = client_for(front_desk).post(
        reverse("consultations:consultation_create"),
        {
            "topic": topic().pk,
            "channel": "visit",
            "question": "¿Dónde registro mi marca?",
            "contact_name": "Ana Quispe",
            "started_at": now.strftime("%Y-%m-%d %H:%M:%S"),
            "ended_at": (now - datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200, response
    assert response.context["form"].errors == {"ended_at": ["La consulta no puede terminar antes de empezar."]}
    assert "La consulta no puede terminar antes de empezar." in response.content.decode()
    assert Consultation.objects.count() == 0


def test_the_service_refuses_an_end_before_the_start(front_desk, lima):
    now = timezone.now()
    with pytest.raises(DomainError) as refusal:
        services.consultation_create(
            user=front_desk,
            centre=lima,
            fields=_fields(contact_name="Ana", started_at=now, ended_at=now - datetime.timedelta(minutes=1)),
        )
    assert refusal.value.field == "ended_at"
    assert Consultation.objects.count() == 0


def test_a_consultation_needs_someone_asking(front_desk, lima):
    with pytest.raises(DomainError):
        services.consultation_create(user=front_desk, centre=lima, fields=_fields())


def test_another_centres_company_cannot_be_the_one_asking(front_desk, lima, huancayo):
    other = CompanyFactory(centre=huancayo)
    with pytest.raises(DomainError):
        services.consultation_create(user=front_desk, centre=lima, fields=_fields(company=other))
    assert Consultation.objects.count() == 0


def test_a_consultant_cannot_log_a_consultation(consultant, lima):
    with pytest.raises(NotAllowed):
        services.consultation_create(user=consultant, centre=lima, fields=_fields(contact_name="Ana"))


def test_a_quick_contact_referral_waits_and_is_recorded_when_completed_into_a_client(front_desk, lima):
    consultation = services.consultation_create(
        user=front_desk,
        centre=lima,
        fields=_fields(contact_name="Rosa Huamán Ccori", contact_phone="964555111", referral="assistance"),
    )
    assert consultation.need is None
    person = services.consultation_complete_contact(
        user=front_desk,
        consultation=consultation,
        fields={**services.contact_initial(consultation), "gender": "F"},
    )
    consultation.refresh_from_db()
    assert (person.first_name, person.last_name, person.phone) == ("Rosa", "Huamán Ccori", "964555111")
    assert consultation.entrepreneur == person
    assert consultation.need.entrepreneur == person and consultation.need.need_type == NeedType.ASSISTANCE


def test_a_consultation_already_linked_to_a_client_cannot_be_completed_again(front_desk, lima):
    consultation = ConsultationFactory(centre=lima, company=CompanyFactory(centre=lima), contact_name="")
    with pytest.raises(DomainError):
        services.consultation_complete_contact(user=front_desk, consultation=consultation, fields={"gender": "F"})
