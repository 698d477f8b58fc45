"""Personal data (Ley 29733): consent recorded, a person's data exported, anonymised on request."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Entrepreneur, Ubigeo
from clients.services import entrepreneur_anonymise, entrepreneur_export_data, entrepreneur_update
from clients.tests.factories import LIMA_DISTRICT, CompanyFactory, EntrepreneurFactory, NeedFactory
from consultations.tests.factories import ConsultationFactory
from core.exceptions import DomainError, NotAllowed

pytestmark = pytest.mark.django_db

PERSON = {"first_name": "Julia", "last_name": "Mamani", "dni": "40123456", "gender": "F"}


@pytest.fixture
def julia(lima, promoter):
    company = CompanyFactory(centre=lima, legal_name="Mermeladas Julia")
    person = EntrepreneurFactory(
        centre=lima,
        company=company,
        relationship="owner",
        first_name="Julia",
        last_name="Mamani Quispe",
        dni="40123456",
        gender="F",
        birth_year=1985,
        education="secondary",
        phone="964111222",
        email="julia@example.pe",
        district=Ubigeo.objects.get(code=LIMA_DISTRICT),
        created_by=promoter,
    )
    NeedFactory(centre=lima, company=company, entrepreneur=person, note="Quiere un curso de BPM")
    ConsultationFactory(
        centre=lima, entrepreneur=person, contact_name="Julia M.", contact_phone="964111222", recorded_by=promoter
    )
    return person


# --- Consent -----------------------------------------------------------------------------------


def test_registering_a_person_records_their_consent_answer_with_the_date_and_who_recorded_it(client_for, front_desk):
    response = client_for(front_desk).post(reverse("clients:entrepreneur_create"), {**PERSON, "data_consent": "True"})
    assert response.status_code == 302
    person = Entrepreneur.objects.get()
    assert person.data_consent is True
    assert person.data_consent_date == timezone.localdate()
    assert person.data_consent_recorded_by == front_desk


def test_the_person_form_does_not_save_without_a_consent_answer(client_for, front_desk):
    response = client_for(front_desk).post(reverse("clients:entrepreneur_create"), PERSON)
    assert "data_consent" in response.context["form"].errors
    assert not Entrepreneur.objects.exists()


def test_a_refusal_is_recorded_too_and_a_later_change_is_signed_by_whoever_changed_it(
    client_for, front_desk, coordinator
):
    client_for(front_desk).post(reverse("clients:entrepreneur_create"), {**PERSON, "data_consent": "False"})
    person = Entrepreneur.objects.get()
    assert (person.data_consent, person.data_consent_recorded_by) == (False, front_desk)
    entrepreneur_update(user=coordinator, person=person, fields={"data_consent": True})
    person.refresh_from_db()
    assert (person.data_consent, person.data_consent_recorded_by) == (True, coordinator)


def test_an_edit_that_keeps_the_answer_keeps_who_recorded_it(lima, front_desk, coordinator):
    person = EntrepreneurFactory(centre=lima, created_by=front_desk)
    entrepreneur_update(user=front_desk, person=person, fields={"data_consent": True})
    entrepreneur_update(user=coordinator, person=person, fields={"data_consent": True, "phone": "999"})
    person.refresh_from_db()
    assert person.data_consent_recorded_by == front_desk


def test_a_person_registered_before_the_question_shows_not_asked_and_the_form_preselects_nothing(
    client_for, promoter, lima
):
    person = EntrepreneurFactory(centre=lima)
    client = client_for(promoter)
    page = client.get(reverse("clients:entrepreneur_detail", args=[person.pk])).content.decode()
    assert "Aún no se preguntó" in page
    form = client.get(reverse("clients:entrepreneur_update", args=[person.pk])).context["form"]
    assert form["data_consent"].value() is None


# --- Export ------------------------------------------------------------------------------------


def test_a_coordinator_downloads_everything_held_about_a_person_as_json(client_for, coordinator, julia):
    response = client_for(coordinator).get(reverse("clients:entrepreneur_data_export", args=[julia.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["dni"] == "40123456"
    assert data["person"]["email"] == "julia@example.pe"
    assert data["company"]["name"] == "Mermeladas Julia"
    assert [n["note"] for n in data["needs"]] == ["Quiere un curso de BPM"]
    assert data["consultations"][0]["contact_name"] == "Julia M."
    assert data["training"] == [] and data["credit"] == []
    assert data["history"][0]["change"]


def test_a_promoter_may_not_export_a_persons_data(client_for, promoter, julia):
    assert client_for(promoter).get(reverse("clients:entrepreneur_data_export", args=[julia.pk])).status_code == 403
    with pytest.raises(NotAllowed):
        entrepreneur_export_data(user=promoter, person=julia)


def test_a_coordinator_of_another_centre_gets_a_404_for_the_export_and_the_anonymisation(client_for, huancayo, julia):
    from core.roles import Role
    from core.tests.factories import UserFactory

    other = UserFactory(username="coord_hyo", roles=[Role.COORDINATOR], centres=[huancayo])
    client = client_for(other)
    assert client.get(reverse("clients:entrepreneur_data_export", args=[julia.pk])).status_code == 404
    assert client.post(reverse("clients:entrepreneur_anonymise", args=[julia.pk])).status_code == 404
    julia.refresh_from_db()
    assert julia.anonymised_at is None


def test_the_export_menu_shows_only_to_who_may_use_it(client_for, coordinator, promoter, julia):
    url = reverse("clients:entrepreneur_detail", args=[julia.pk])
    export_url = reverse("clients:entrepreneur_data_export", args=[julia.pk])
    assert export_url in client_for(coordinator).get(url).content.decode()
    assert export_url not in client_for(promoter).get(url).content.decode()


# --- Anonymisation -----------------------------------------------------------------------------


def test_the_anonymisation_asks_for_confirmation_first_and_changes_nothing_until_confirmed(
    client_for, coordinator, julia
):
    response = client_for(coordinator).get(reverse("clients:entrepreneur_anonymise", args=[julia.pk]))
    assert "no se puede deshacer" in response.content.decode()
    julia.refresh_from_db()
    assert julia.first_name == "Julia" and julia.anonymised_at is None


def test_anonymising_removes_the_identity_and_keeps_what_the_statistics_count(client_for, coordinator, julia):
    company = julia.company
    women_before = Entrepreneur.objects.filter(gender="F").count()
    response = client_for(coordinator).post(reverse("clients:entrepreneur_anonymise", args=[julia.pk]))
    assert response.status_code == 302
    julia.refresh_from_db()
    assert (julia.first_name, julia.last_name) == ("Anónimo", f"#{julia.pk}")
    assert (julia.dni, julia.phone, julia.email) == (None, "", "")
    assert julia.anonymised_at is not None
    # Kept: gender, age band, education, zone, company, needs, consultations.
    assert (julia.gender, julia.birth_year, julia.education) == ("F", 1985, "secondary")
    assert julia.district_id == LIMA_DISTRICT and julia.company_id == company.pk
    assert julia.needs.count() == 1 and julia.consultations.count() == 1
    assert Entrepreneur.objects.filter(gender="F").count() == women_before
    consultation = julia.consultations.get()
    assert (consultation.contact_name, consultation.contact_phone) == ("", "")
    company.refresh_from_db()
    assert "mamani" not in company.search_name


def test_anonymising_scrubs_every_earlier_version_in_the_history_and_records_who_did_it(coordinator, julia):
    entrepreneur_update(user=coordinator, person=julia, fields={"phone": "955000111"})
    entrepreneur_anonymise(user=coordinator, person=julia)
    versions = list(julia.history.order_by("history_date"))
    assert len(versions) == 3  # created, phone changed, anonymised: the trail stays
    for version in versions:
        assert version.first_name == "Anónimo" and version.dni is None
        assert version.phone == "" and version.email == ""
    assert versions[-1].history_user == coordinator
    assert "Ley 29733" in versions[-1].history_change_reason
    consultation = julia.consultations.get()
    assert {h.contact_name for h in consultation.history.all()} == {""}


def test_a_person_is_anonymised_once_and_then_cannot_be_edited(coordinator, julia):
    entrepreneur_anonymise(user=coordinator, person=julia)
    with pytest.raises(DomainError):
        entrepreneur_anonymise(user=coordinator, person=julia)
    with pytest.raises(DomainError):
        entrepreneur_update(user=coordinator, person=julia, fields={"first_name": "Julia"})


def test_a_promoter_may_not_anonymise(client_for, promoter, julia):
    assert client_for(promoter).post(reverse("clients:entrepreneur_anonymise", args=[julia.pk])).status_code == 403
    julia.refresh_from_db()
    assert julia.first_name == "Julia"


def test_the_api_exports_and_anonymises_through_the_same_services(client_for, administrator, julia):
    client = client_for(administrator)
    data = client.get(reverse("entrepreneur-personal-data", args=[julia.pk])).json()
    assert data["person"]["dni"] == "40123456"
    response = client.post(reverse("entrepreneur-anonymise", args=[julia.pk]))
    assert response.status_code == 200 and response.json()["first_name"] == "Anónimo"
    again = client.post(reverse("entrepreneur-anonymise", args=[julia.pk]))
    assert again.status_code == 400
