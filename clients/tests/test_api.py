import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from stdnum.pe import ruc as stdnum_ruc

from clients.models import Company, Diagnosis, Entrepreneur, Need, ProblemNode, Ubigeo
from core.roles import Role
from core.tests.factories import UserFactory

from .factories import (
    HUANCAYO_DISTRICT,
    LIMA_DISTRICT,
    CompanyFactory,
    DiagnosisFactory,
    EntrepreneurFactory,
    NeedFactory,
    ProblemNodeFactory,
    subsector,
)

pytestmark = pytest.mark.django_db

VALID_RUC = "20100070970"
OTHER_RUC = "2060123456" + stdnum_ruc.calc_check_digit("2060123456")
PERSON_RUC = "1044556677" + stdnum_ruc.calc_check_digit("1044556677")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api):
    def sign_in(user):
        api.force_authenticate(user)
        return api

    return sign_in


def huancayo_company(huancayo, **kwargs):
    return CompanyFactory(centre=huancayo, district=Ubigeo.objects.get(code=HUANCAYO_DISTRICT), **kwargs)


def company_payload(**overrides):
    payload = {
        "legal_name": "Lácteos El Mantaro",
        "ruc": VALID_RUC,
        "ruc_status": "active",
        "is_formal": True,
        "legal_form": "eirl",
        "subsector": subsector("Lácteos").pk,
        "district": LIMA_DISTRICT,
        "permanent_men": 2,
        "permanent_women": 3,
        "annual_sales": "120000.00",
        "sales_year": 2025,
    }
    payload.update(overrides)
    return payload


def complete_baseline(diagnosis):
    diagnosis.product_line_count = 3
    diagnosis.patrimonial_band = "lt2500"
    diagnosis.equipment_band = "lt1000"
    diagnosis.working_day = "8"
    diagnosis.save()


def tree_of(diagnosis):
    central = ProblemNodeFactory(diagnosis=diagnosis, kind="central", text="Ventas bajas")
    cause = ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=central, text="Horno antiguo", position=0)
    ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=cause, text="Sin crédito", position=0)
    ProblemNodeFactory(diagnosis=diagnosis, kind="effect", parent=central, text="Pocos clientes", position=1)
    return central


# --- Authentication and roles -------------------------------------------------------------------


def test_a_token_opens_the_companies_api(api, promoter):
    CompanyFactory(legal_name="Panadería La Espiga")
    token = api.post(reverse("api-token"), {"username": "promoter", "password": "secret-pass-123"}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(reverse("company-list"))
    assert response.status_code == 200
    assert [c["legal_name"] for c in response.json()["results"]] == ["Panadería La Espiga"]


def test_a_signed_in_session_opens_the_companies_api(api, promoter):
    CompanyFactory(legal_name="Panadería La Espiga")
    api.force_login(promoter)
    response = api.get(reverse("company-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_anonymous_requests_are_refused(api, lima):
    CompanyFactory()
    assert api.get(reverse("company-list")).status_code in (401, 403)
    assert api.post(reverse("company-list"), company_payload(), format="json").status_code in (401, 403)
    assert Company.objects.count() == 1


def test_a_consultant_lists_companies_but_cannot_register_one(as_user, consultant):
    api = as_user(consultant)
    assert api.get(reverse("company-list")).status_code == 200
    response = api.post(reverse("company-list"), company_payload(), format="json")
    assert response.status_code == 403
    assert not Company.objects.exists()


def test_a_consultant_cannot_change_a_company(as_user, consultant):
    company = CompanyFactory()
    response = as_user(consultant).patch(reverse("company-detail", args=[company.pk]), {"phone": "999"}, format="json")
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.phone == ""


@pytest.mark.parametrize("role_fixture", ["front_desk", "coordinator", "administrator"])
def test_every_client_writer_registers_a_company(request, as_user, role_fixture):
    user = request.getfixturevalue(role_fixture)
    response = as_user(user).post(reverse("company-list"), company_payload(), format="json")
    assert response.status_code == 201, response.json()


# --- Companies: registering -----------------------------------------------------------------------


def test_a_promoter_registers_a_company_and_its_size_class_is_computed(as_user, promoter, lima):
    response = as_user(promoter).post(reverse("company-list"), company_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    company = Company.objects.get(pk=body["id"])
    assert company.centre == lima
    assert company.created_by == promoter
    assert company.ruc == VALID_RUC
    assert company.size_class == "micro"
    assert body["size_class"] == "micro"
    assert body["workers_total"] == 5
    assert body["centre"] == lima.pk
    assert "confirm_similar" not in body


def test_a_company_without_sales_has_no_size_class_and_an_empty_ruc_is_stored_as_none(as_user, promoter):
    payload = company_payload(ruc="", annual_sales=None, sales_year=None, is_formal=False)
    response = as_user(promoter).post(reverse("company-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    company = Company.objects.get()
    assert company.ruc is None
    assert company.size_class == ""


def test_an_invalid_ruc_is_refused_under_ruc_and_nothing_is_saved(as_user, promoter):
    response = as_user(promoter).post(reverse("company-list"), company_payload(ruc="20100070971"), format="json")
    assert response.status_code == 400
    assert "ruc" in response.json()
    assert not Company.objects.exists()


def test_a_duplicate_ruc_is_refused_and_nothing_is_saved(as_user, promoter, huancayo):
    huancayo_company(huancayo, ruc=VALID_RUC, legal_name="Quesos del Valle")
    payload = company_payload(legal_name="Otra empresa distinta", ruc=VALID_RUC)
    response = as_user(promoter).post(reverse("company-list"), payload, format="json")
    assert response.status_code == 400
    assert "ruc" in response.json()
    assert Company.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"permanent_men": -1}, "permanent_men"),
        ({"temporary_women": -1}, "temporary_women"),
        ({"annual_sales": "abc"}, "annual_sales"),
        ({"annual_sales": "-10.00"}, "annual_sales"),
        ({"sales_year": 1800}, "sales_year"),
        ({"annual_sales": "5000.00", "sales_year": None}, "sales_year"),
        ({"subsector": 999999}, "subsector"),
        ({"district": "999999"}, "district"),
        ({"legal_name": ""}, "legal_name"),
    ],
)
def test_a_bad_company_is_refused_at_its_field_and_nothing_is_saved(as_user, promoter, overrides, field):
    CompanyFactory(legal_name="Panadería Existente")
    response = as_user(promoter).post(reverse("company-list"), company_payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Company.objects.count() == 1


def test_a_similar_name_in_the_district_needs_confirmation(as_user, promoter):
    CompanyFactory(legal_name="Lácteos El Mantaro S.A.C.", name_key="lacteos el mantaro")
    api = as_user(promoter)
    refused = api.post(reverse("company-list"), company_payload(ruc=""), format="json")
    assert refused.status_code == 400
    assert "legal_name" in refused.json()
    assert Company.objects.count() == 1
    confirmed = api.post(reverse("company-list"), company_payload(ruc="", confirm_similar=True), format="json")
    assert confirmed.status_code == 201
    assert Company.objects.count() == 2


def test_a_user_of_several_centres_must_name_one_of_their_centres(as_user, lima, huancayo):
    user = UserFactory(roles=[Role.PROMOTER], centres=[lima, huancayo])
    outsider_centre = huancayo.__class__.objects.create(
        name="CentroPyME Arequipa", department="Arequipa", city="Arequipa"
    )
    api = as_user(user)
    unnamed = api.post(reverse("company-list"), company_payload(), format="json")
    assert unnamed.status_code == 400
    assert "centre" in unnamed.json()
    foreign = api.post(reverse("company-list"), company_payload(centre=outsider_centre.pk), format="json")
    assert foreign.status_code == 400
    assert "centre" in foreign.json()
    assert not Company.objects.exists()
    named = api.post(reverse("company-list"), company_payload(centre=huancayo.pk), format="json")
    assert named.status_code == 201
    assert Company.objects.get().centre == huancayo


def test_a_one_centre_user_cannot_register_in_another_centre(as_user, promoter, huancayo):
    response = as_user(promoter).post(reverse("company-list"), company_payload(centre=huancayo.pk), format="json")
    assert response.status_code == 400
    assert not Company.objects.exists()


# --- Companies: reading and changing ---------------------------------------------------------------


def test_a_promoter_changes_a_company_and_the_size_class_follows(as_user, promoter):
    company = CompanyFactory(annual_sales=Decimal("120000.00"), sales_year=2025, size_class="micro")
    response = as_user(promoter).patch(
        reverse("company-detail", args=[company.pk]), {"annual_sales": "9000000.00"}, format="json"
    )
    assert response.status_code == 200, response.json()
    company.refresh_from_db()
    assert company.annual_sales == Decimal("9000000.00")
    assert company.size_class == "small"
    assert response.json()["size_class"] == "small"


def test_a_bad_change_leaves_the_company_as_it_was(as_user, promoter):
    company = CompanyFactory(ruc=VALID_RUC)
    api = as_user(promoter)
    for payload in ({"ruc": "20100070971"}, {"permanent_men": -1}, {"annual_sales": "abc"}):
        response = api.patch(reverse("company-detail", args=[company.pk]), payload, format="json")
        assert response.status_code == 400
        assert next(iter(payload)) in response.json()
    company.refresh_from_db()
    assert (company.ruc, company.permanent_men, company.annual_sales) == (VALID_RUC, 2, Decimal("120000.00"))


def test_the_centre_of_a_company_does_not_change_through_the_api(as_user, administrator, huancayo, lima):
    company = CompanyFactory()
    response = as_user(administrator).patch(
        reverse("company-detail", args=[company.pk]), {"centre": huancayo.pk}, format="json"
    )
    assert response.status_code == 200
    company.refresh_from_db()
    assert company.centre == lima


def test_a_lima_promoter_gets_404_for_a_huancayo_company(as_user, promoter, huancayo):
    company = huancayo_company(huancayo, legal_name="Quesos del Valle")
    api = as_user(promoter)
    url = reverse("company-detail", args=[company.pk])
    assert api.get(url).status_code == 404
    assert api.patch(url, {"phone": "999"}, format="json").status_code == 404
    assert api.put(url, company_payload(ruc=""), format="json").status_code == 404
    assert api.get(reverse("company-list")).json()["count"] == 0
    company.refresh_from_db()
    assert (company.legal_name, company.phone) == ("Quesos del Valle", "")


def test_a_national_manager_sees_the_companies_of_both_centres(as_user, national_manager, huancayo):
    CompanyFactory(legal_name="Panadería Lima")
    huancayo_company(huancayo, legal_name="Quesos Huancayo")
    names = {c["legal_name"] for c in as_user(national_manager).get(reverse("company-list")).json()["results"]}
    assert names == {"Panadería Lima", "Quesos Huancayo"}


def test_companies_are_filtered_and_searched(as_user, national_manager, huancayo):
    CompanyFactory(legal_name="Panadería La Espiga", ruc=VALID_RUC, is_formal=True)
    CompanyFactory(legal_name="Chocolates Tunki", size_class="small")
    huancayo_company(huancayo, legal_name="Quesos del Valle")
    api = as_user(national_manager)

    def names(**params):
        return sorted(c["legal_name"] for c in api.get(reverse("company-list"), params).json()["results"])

    assert names(q="espiga") == ["Panadería La Espiga"]
    assert names(q="2010007") == ["Panadería La Espiga"]
    assert names(size_class="small") == ["Chocolates Tunki"]
    assert names(is_formal="true") == ["Panadería La Espiga"]
    assert names(centre=huancayo.pk) == ["Quesos del Valle"]
    assert names(district=HUANCAYO_DISTRICT) == ["Quesos del Valle"]
    assert names(subsector=subsector().pk) == ["Chocolates Tunki", "Panadería La Espiga", "Quesos del Valle"]


def test_the_search_finds_a_company_by_its_owners_dni(as_user, promoter):
    company = CompanyFactory(legal_name="Panadería La Espiga")
    CompanyFactory(legal_name="Otra")
    EntrepreneurFactory(company=company, dni="41234567")
    results = as_user(promoter).get(reverse("company-list"), {"q": "41234567"}).json()["results"]
    assert [c["id"] for c in results] == [company.pk]


def test_the_company_list_runs_the_same_queries_for_3_and_30_companies(api, promoter):
    # A session sign-in reloads the user on every request, so both requests pay the same role lookups.
    api.force_login(promoter)
    url = reverse("company-list")
    CompanyFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).json()["count"] == 3
    CompanyFactory.create_batch(27)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).json()["count"] == 30
    assert len(many) == len(few)


# --- Entrepreneurs ----------------------------------------------------------------------------------


def test_a_promoter_registers_an_owner_in_the_centre_of_the_company(as_user, promoter, lima):
    company = CompanyFactory()
    payload = {"first_name": "Rosa", "last_name": "Quispe", "gender": "F", "dni": "41234567", "company": company.pk}
    response = as_user(promoter).post(reverse("entrepreneur-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    person = Entrepreneur.objects.get()
    assert (person.centre, person.company, person.relationship) == (lima, company, "owner")
    assert response.json()["is_protoenterprise"] is False


def test_an_entrepreneur_with_a_bad_or_duplicate_dni_is_refused(as_user, promoter):
    EntrepreneurFactory(dni="41234567")
    api = as_user(promoter)
    for dni in ("4123", "41234567"):
        payload = {"first_name": "Rosa", "last_name": "Quispe", "gender": "F", "dni": dni}
        response = api.post(reverse("entrepreneur-list"), payload, format="json")
        assert response.status_code == 400
        assert "dni" in response.json()
    assert Entrepreneur.objects.count() == 1


def test_a_promoter_cannot_tie_a_person_to_another_centres_company(as_user, promoter, huancayo):
    company = huancayo_company(huancayo)
    payload = {"first_name": "Rosa", "last_name": "Quispe", "gender": "F", "company": company.pk}
    response = as_user(promoter).post(reverse("entrepreneur-list"), payload, format="json")
    assert response.status_code == 400
    assert "company" in response.json()
    assert not Entrepreneur.objects.exists()


def test_entrepreneurs_of_another_centre_are_404_and_a_consultant_cannot_change_one(
    as_user, promoter, consultant, huancayo
):
    theirs = EntrepreneurFactory(centre=huancayo)
    ours = EntrepreneurFactory()
    assert as_user(promoter).get(reverse("entrepreneur-detail", args=[theirs.pk])).status_code == 404
    assert as_user(promoter).patch(reverse("entrepreneur-detail", args=[theirs.pk]), {"phone": "1"}).status_code == 404
    response = as_user(consultant).patch(reverse("entrepreneur-detail", args=[ours.pk]), {"phone": "1"}, format="json")
    assert response.status_code == 403


def test_a_promoter_updates_an_entrepreneur(as_user, promoter):
    person = EntrepreneurFactory(first_name="Rosa")
    response = as_user(promoter).patch(
        reverse("entrepreneur-detail", args=[person.pk]), {"birth_year": 1980, "phone": "987654321"}, format="json"
    )
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert (person.birth_year, person.phone) == (1980, "987654321")


def test_the_entrepreneur_list_runs_the_same_queries_for_3_and_30_people(api, promoter):
    api.force_login(promoter)
    url = reverse("entrepreneur-list")
    EntrepreneurFactory.create_batch(3, company=CompanyFactory())
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    EntrepreneurFactory.create_batch(27, company=CompanyFactory())
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).json()["count"] == 30
    assert len(many) == len(few)


# --- Diagnoses ---------------------------------------------------------------------------------------


def test_a_promoter_opens_a_diagnosis_with_its_needs(as_user, promoter, lima):
    company = CompanyFactory()
    payload = {
        "company": company.pk,
        "date": "2026-11-02",
        "product_line_count": 3,
        "working_day": "gt8",
        "needs": {"training": "Buenas prácticas", "credit": ""},
    }
    response = as_user(promoter).post(reverse("diagnosis-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    diagnosis = Diagnosis.objects.get()
    assert (diagnosis.company, diagnosis.centre, diagnosis.promoter, diagnosis.status) == (
        company,
        lima,
        promoter,
        "draft",
    )
    assert diagnosis.date == datetime.date(2026, 11, 2)
    assert sorted(diagnosis.needs.values_list("need_type", "note")) == [
        ("credit", ""),
        ("training", "Buenas prácticas"),
    ]
    body = response.json()
    assert sorted(n["need_type"] for n in body["needs_found"]) == ["credit", "training"]
    assert body["problem_tree"] is None


def test_a_bad_diagnosis_is_refused_and_nothing_is_saved(as_user, promoter, huancayo):
    company = CompanyFactory()
    api = as_user(promoter)
    for payload in (
        {"company": company.pk, "workers_men": -1},
        {"company": company.pk, "monthly_sales": "abc"},
        {"company": company.pk, "date": "2999-01-01"},
        {"company": company.pk, "needs": {"magic": ""}},
        {"company": huancayo_company(huancayo).pk},
    ):
        assert api.post(reverse("diagnosis-list"), payload, format="json").status_code == 400
    assert not Diagnosis.objects.exists()
    assert not Need.objects.exists()


def test_only_promoters_coordinators_and_administrators_open_diagnoses(as_user, front_desk, consultant):
    company = CompanyFactory()
    for user in (front_desk, consultant):
        response = as_user(user).post(reverse("diagnosis-list"), {"company": company.pk}, format="json")
        assert response.status_code == 403
        assert as_user(user).get(reverse("diagnosis-list")).status_code == 200
    assert not Diagnosis.objects.exists()


def test_a_diagnosis_shows_its_problem_tree_nested(as_user, promoter):
    diagnosis = DiagnosisFactory()
    central = tree_of(diagnosis)
    body = as_user(promoter).get(reverse("diagnosis-detail", args=[diagnosis.pk])).json()
    tree = body["problem_tree"]
    assert (tree["id"], tree["kind"], tree["text"]) == (central.pk, "central", "Ventas bajas")
    assert [(n["kind"], n["text"]) for n in tree["children"]] == [
        ("cause", "Horno antiguo"),
        ("effect", "Pocos clientes"),
    ]
    cause, effect = tree["children"]
    assert [(n["kind"], n["text"], n["children"]) for n in cause["children"]] == [("cause", "Sin crédito", [])]
    assert effect["children"] == []
    assert set(cause) == {"id", "kind", "text", "to_address", "children"}


def test_a_diagnosis_of_another_centre_is_404(as_user, promoter, huancayo):
    diagnosis = DiagnosisFactory(company=huancayo_company(huancayo))
    api = as_user(promoter)
    assert api.get(reverse("diagnosis-detail", args=[diagnosis.pk])).status_code == 404
    assert api.patch(reverse("diagnosis-detail", args=[diagnosis.pk]), {"notes": "x"}, format="json").status_code == 404
    assert api.post(reverse("diagnosis-complete", args=[diagnosis.pk])).status_code == 404
    nodes = reverse("diagnosis-nodes", args=[diagnosis.pk])
    assert api.post(nodes, {"kind": "central", "text": "x"}, format="json").status_code == 404
    assert not ProblemNode.objects.exists()


def test_a_promoter_updates_a_draft_diagnosis_and_its_needs(as_user, promoter):
    diagnosis = DiagnosisFactory()
    NeedFactory(diagnosis=diagnosis, company=diagnosis.company, need_type="credit")
    response = as_user(promoter).patch(
        reverse("diagnosis-detail", args=[diagnosis.pk]),
        {"notes": "Visita en planta", "needs": {"equipment": "Horno"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    diagnosis.refresh_from_db()
    assert diagnosis.notes == "Visita en planta"
    assert list(diagnosis.needs.values_list("need_type", flat=True)) == ["equipment"]
    assert [n["need_type"] for n in response.json()["needs_found"]] == ["equipment"]


def test_completing_an_incomplete_diagnosis_is_refused_and_changes_nothing(as_user, promoter):
    diagnosis = DiagnosisFactory()
    ProblemNodeFactory(diagnosis=diagnosis, kind="central")
    response = as_user(promoter).post(reverse("diagnosis-complete", args=[diagnosis.pk]))
    assert response.status_code == 400
    assert "detail" in response.json()
    diagnosis.refresh_from_db()
    assert (diagnosis.status, diagnosis.completed_at) == ("draft", None)


def test_a_diagnosis_without_causes_and_effects_cannot_be_completed(as_user, promoter):
    diagnosis = DiagnosisFactory()
    complete_baseline(diagnosis)
    ProblemNodeFactory(diagnosis=diagnosis, kind="central")
    assert as_user(promoter).post(reverse("diagnosis-complete", args=[diagnosis.pk])).status_code == 400
    diagnosis.refresh_from_db()
    assert diagnosis.status == "draft"


def test_a_complete_diagnosis_is_closed_and_then_read_only(as_user, promoter):
    diagnosis = DiagnosisFactory()
    complete_baseline(diagnosis)
    tree_of(diagnosis)
    api = as_user(promoter)
    response = api.post(reverse("diagnosis-complete", args=[diagnosis.pk]))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
    diagnosis.refresh_from_db()
    assert diagnosis.status == "completed"
    assert diagnosis.completed_at is not None
    refused = api.patch(reverse("diagnosis-detail", args=[diagnosis.pk]), {"notes": "tarde"}, format="json")
    assert refused.status_code == 400
    nodes = reverse("diagnosis-nodes", args=[diagnosis.pk])
    assert api.post(nodes, {"kind": "cause", "text": "Otra"}, format="json").status_code == 400
    assert api.post(reverse("diagnosis-complete", args=[diagnosis.pk])).status_code == 400
    diagnosis.refresh_from_db()
    assert diagnosis.notes == ""
    assert diagnosis.nodes.count() == 4


def test_a_promoter_grows_the_problem_tree_through_the_api(as_user, promoter):
    diagnosis = DiagnosisFactory()
    api = as_user(promoter)
    url = reverse("diagnosis-nodes", args=[diagnosis.pk])
    early = api.post(url, {"kind": "cause", "text": "Horno antiguo"}, format="json")
    assert early.status_code == 400  # the central problem comes first
    central = api.post(url, {"kind": "central", "text": "Ventas bajas"}, format="json")
    assert central.status_code == 201
    assert central.json()["kind"] == "central"
    cause = api.post(url, {"kind": "cause", "text": "Horno antiguo"}, format="json").json()
    sub_cause = api.post(url, {"kind": "cause", "text": "Sin crédito", "parent": cause["id"]}, format="json")
    assert sub_cause.status_code == 201
    wrong = api.post(url, {"kind": "effect", "text": "Pocos clientes", "parent": cause["id"]}, format="json")
    assert wrong.status_code == 400
    blank = api.post(url, {"kind": "effect", "text": "  "}, format="json")
    assert blank.status_code == 400
    assert "text" in blank.json()
    assert diagnosis.nodes.count() == 3
    node = ProblemNode.objects.get(pk=sub_cause.json()["id"])
    assert node.parent_id == cause["id"]


def test_a_node_of_another_diagnosis_cannot_be_a_parent(as_user, promoter):
    diagnosis = DiagnosisFactory()
    ProblemNodeFactory(diagnosis=diagnosis, kind="central")
    foreign = ProblemNodeFactory(diagnosis=DiagnosisFactory(), kind="central")
    url = reverse("diagnosis-nodes", args=[diagnosis.pk])
    response = as_user(promoter).post(url, {"kind": "cause", "text": "x", "parent": foreign.pk}, format="json")
    assert response.status_code == 400
    assert diagnosis.nodes.count() == 1


def test_the_diagnosis_list_runs_the_same_queries_for_3_and_30_diagnoses(api, promoter):
    api.force_login(promoter)
    url = reverse("diagnosis-list")
    for _ in range(3):
        tree_of(DiagnosisFactory())
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    for _ in range(27):
        diagnosis = DiagnosisFactory()
        tree_of(diagnosis)
        NeedFactory(diagnosis=diagnosis, company=diagnosis.company)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).json()["count"] == 30
    assert len(many) == len(few)


# --- Needs ---------------------------------------------------------------------------------------------


def test_needs_are_scoped_and_filtered_by_status_and_type(as_user, promoter, huancayo):
    NeedFactory(need_type="credit", note="Capital de trabajo")
    NeedFactory(need_type="training", status="answered")
    NeedFactory(company=huancayo_company(huancayo), need_type="credit")
    api = as_user(promoter)

    def notes(**params):
        response = api.get(reverse("need-list"), params)
        assert response.status_code == 200
        return sorted((n["need_type"], n["status"]) for n in response.json()["results"])

    assert notes() == [("credit", "open"), ("training", "answered")]
    assert notes(status="open") == [("credit", "open")]
    assert notes(need_type="training") == [("training", "answered")]


def test_the_need_list_runs_the_same_queries_for_3_and_30_needs(api, promoter):
    api.force_login(promoter)
    url = reverse("need-list")
    NeedFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    person = EntrepreneurFactory()
    NeedFactory.create_batch(27, company=None, entrepreneur=person, centre=person.centre)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).json()["count"] == 30
    assert len(many) == len(few)


def test_needs_are_read_only(as_user, administrator):
    need = NeedFactory()
    api = as_user(administrator)
    assert api.post(reverse("need-list"), {"need_type": "credit"}, format="json").status_code == 405
    assert api.patch(reverse("need-detail", args=[need.pk]), {"note": "x"}, format="json").status_code == 405
    assert api.delete(reverse("need-detail", args=[need.pk])).status_code == 405


def test_companies_cannot_be_deleted_through_the_api(as_user, administrator):
    company = CompanyFactory()
    assert as_user(administrator).delete(reverse("company-detail", args=[company.pk])).status_code == 405
    assert Company.objects.filter(pk=company.pk).exists()


def test_the_api_search_ignores_accents_and_case(as_user, national_manager):
    CompanyFactory(legal_name="Panadería La Espiga")
    CompanyFactory(legal_name="PANADERÍA DOÑA JUANA")
    CompanyFactory(legal_name="Chocolates Tunki")
    api = as_user(national_manager)
    found = api.get(reverse("company-list"), {"q": "panaderia"}).json()["results"]
    assert sorted(c["legal_name"] for c in found) == ["PANADERÍA DOÑA JUANA", "Panadería La Espiga"]
    EntrepreneurFactory(first_name="Óscar", last_name="Ñahui")
    people = api.get(reverse("entrepreneur-list"), {"q": "oscar nahui"}).json()["results"]
    assert [p["last_name"] for p in people] == ["Ñahui"]
