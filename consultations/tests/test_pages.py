"""The consultation and fact-sheet pages: who may open them, another centre's, and a fixed number of queries;
and the desk's client search, which never shows another centre's clients."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Need
from clients.tests.factories import CompanyFactory, EntrepreneurFactory, subsector
from consultations.tests.factories import ConsultationFactory, FactSheetFactory, SupplierFactory
from core.pagination import PAGE_SIZE

pytestmark = pytest.mark.django_db

MANY = PAGE_SIZE + 5


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _consultation(lima, sources: int):
    company = CompanyFactory(centre=lima)
    consultation = ConsultationFactory(
        centre=lima, company=company, contact_name="", referral="training", subsector=subsector()
    )
    consultation.need = Need.objects.create(centre=lima, company=company, need_type="training")
    consultation.save()
    consultation.suppliers.set([SupplierFactory(centre=lima, contact="999 111 222") for _ in range(sources)])
    consultation.fact_sheets.set([FactSheetFactory(centre=None) for _ in range(sources)])
    return consultation


def test_the_consultation_page_runs_the_same_queries_with_one_source_or_many(client_for, front_desk, lima):
    client = client_for(front_desk)
    one = _consultation(lima, 1)
    few, _ = _count(client, reverse("consultations:consultation_detail", args=[one.pk]))
    many_sources = _consultation(lima, MANY)
    many, response = _count(client, reverse("consultations:consultation_detail", args=[many_sources.pk]))
    assert many == few
    assert response.content.decode().count("/consultations/library/fact-sheets/") >= MANY


def test_the_desk_reads_a_consultation_a_consultant_may_not_and_another_centres_is_not_found(
    client_for, front_desk, consultant, lima, huancayo
):
    own = ConsultationFactory(centre=lima, contact_name="Julia Mamani", question="¿Cómo exporto quinua?")
    body = client_for(front_desk).get(reverse("consultations:consultation_detail", args=[own.pk])).content.decode()
    assert "Julia Mamani" in body and "¿Cómo exporto quinua?" in body
    assert client_for(consultant).get(reverse("consultations:consultation_detail", args=[own.pk])).status_code == 403
    theirs = ConsultationFactory(centre=huancayo)
    assert client_for(front_desk).get(reverse("consultations:consultation_detail", args=[theirs.pk])).status_code == 404


def test_the_fact_sheet_page_runs_the_same_queries_however_big_the_library(client_for, consultant, lima):
    client = client_for(consultant)
    sheet = FactSheetFactory(centre=lima, subsector=subsector())
    few, _ = _count(client, reverse("consultations:fact_sheet_detail", args=[sheet.pk]))
    for _ in range(MANY):
        FactSheetFactory(centre=lima, subsector=subsector())
        SupplierFactory(centre=lima)
    _consultation(lima, MANY)
    many, response = _count(client, reverse("consultations:fact_sheet_detail", args=[sheet.pk]))
    assert many == few
    assert sheet.title in response.content.decode()


def test_every_role_reads_a_fact_sheet_a_user_without_a_role_may_not_and_another_centres_is_not_found(
    client_for, consultant, no_role_user, lima, huancayo
):
    sheet = FactSheetFactory(centre=lima, title="Registro sanitario de conservas", body="Trámite ante DIGESA.")
    body = client_for(consultant).get(reverse("consultations:fact_sheet_detail", args=[sheet.pk])).content.decode()
    assert "Registro sanitario de conservas" in body and "Trámite ante DIGESA." in body
    assert client_for(no_role_user).get(reverse("consultations:fact_sheet_detail", args=[sheet.pk])).status_code == 403
    theirs = FactSheetFactory(centre=huancayo)
    assert client_for(consultant).get(reverse("consultations:fact_sheet_detail", args=[theirs.pk])).status_code == 404
    network = FactSheetFactory(centre=None)
    assert client_for(consultant).get(reverse("consultations:fact_sheet_detail", args=[network.pk])).status_code == 200


def test_the_client_search_never_returns_another_centres_companies_or_people(
    client_for, front_desk, promoter_huancayo, consultant, lima, huancayo
):
    for i in range(12):
        CompanyFactory(centre=huancayo, legal_name=f"Quesos Andinos Huancayo {i}", ruc=f"2060000{i:04d}")
        EntrepreneurFactory(centre=huancayo, first_name="Andina", last_name=f"Huancaína {i}", company=None)
    own = CompanyFactory(centre=lima, legal_name="Quesos Andinos Lima")
    person = EntrepreneurFactory(centre=lima, first_name="Andina", last_name="Limeña", company=None)
    url = reverse("consultations:client_search")
    for text in ("andin", "quesos", "2060000"):
        found = client_for(front_desk).get(url, {"q": text}).json()["results"]
        assert {(r["kind"], r["id"]) for r in found} <= {("company", own.pk), ("entrepreneur", person.pk)}, text
    assert {r["label"] for r in client_for(front_desk).get(url, {"q": "andin"}).json()["results"]} == {
        "Quesos Andinos Lima",
        "Andina Limeña",
    }
    theirs = client_for(promoter_huancayo).get(url, {"q": "andin"}).json()["results"]
    assert theirs and all("Huanca" in r["label"] for r in theirs)
    assert client_for(consultant).get(url, {"q": "andin"}).status_code == 403


def test_the_conversion_tables_turn_into_labelled_cards_on_a_phone(client_for, coordinator, lima):
    _consultation(lima, 1)
    body = client_for(coordinator).get(reverse("consultations:conversion_report")).content.decode()
    assert body.count("table-stack") == 2
    assert 'data-label="Derivadas"' in body and 'data-label="Convertidas"' in body
