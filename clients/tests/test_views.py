"""The client registry's pages: who may see and change what, bad input, and a fixed number of queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Company, Diagnosis, Entrepreneur, Need, ProblemNode, Subsector, Ubigeo
from clients.tests.factories import (
    HUANCAYO_DISTRICT,
    CompanyFactory,
    DiagnosisFactory,
    EntrepreneurFactory,
    NeedFactory,
    ProblemNodeFactory,
)

pytestmark = pytest.mark.django_db

VALID_RUC = "20100070970"


def company_data(**overrides):
    data = {
        "legal_name": "Lácteos Santa Rosa",
        "trade_name": "",
        "ruc": VALID_RUC,
        "ruc_status": "active",
        "is_formal": "on",
        "legal_form": "eirl",
        "subsector": Subsector.objects.get(name="Lácteos").pk,
        "product_lines": "Yogur\nQueso fresco",
        "address": "Av. Huancavelica 123",
        "department": "15",
        "province": "1501",
        "district": "150103",
        "start_year": "2015",
        "permanent_men": "2",
        "permanent_women": "3",
        "temporary_men": "0",
        "temporary_women": "1",
        "annual_sales": "250000.00",
        "sales_year": "2025",
        "phone": "987654321",
        "email": "",
    }
    data.update(overrides)
    return data


def bulk_companies(n, centre, user, district="150103"):
    subsector = Subsector.objects.first()
    Company.objects.bulk_create(
        [
            Company(
                centre=centre,
                legal_name=f"Empresa {i:05d}",
                name_key=f"empresa {i:05d}",
                subsector=subsector,
                district_id=district,
                created_by=user,
                annual_sales=1000 + i,
                sales_year=2025,
                size_class="micro",
            )
            for i in range(n)
        ]
    )


# --- Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture",
    ["promoter", "consultant", "coordinator", "national_manager", "administrator", "credit_officer", "front_desk"],
)
def test_every_staff_role_may_open_the_company_list(request, client_for, fixture):
    assert client_for(request.getfixturevalue(fixture)).get(reverse("clients:company_list")).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, lima):
    response = client.get(reverse("clients:company_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_consultant_cannot_register_companies(client_for, consultant):
    client = client_for(consultant)
    assert client.get(reverse("clients:company_create")).status_code == 403
    response = client.post(reverse("clients:company_create"), company_data())
    assert response.status_code == 403
    assert not Company.objects.exists()


def test_a_lima_promoter_cannot_see_or_change_a_huancayo_company(client_for, promoter, huancayo):
    other = CompanyFactory(centre=huancayo, district=Ubigeo.objects.get(code=HUANCAYO_DISTRICT))
    client = client_for(promoter)
    assert client.get(reverse("clients:company_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("clients:company_update", args=[other.pk])).status_code == 404
    response = client.post(reverse("clients:company_update", args=[other.pk]), company_data(legal_name="Cambiado"))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.legal_name != "Cambiado"
    listing = client.get(reverse("clients:company_list")).content.decode()
    assert other.legal_name not in listing


def test_the_national_manager_sees_every_centre(client_for, national_manager, huancayo):
    other = CompanyFactory(centre=huancayo, district=Ubigeo.objects.get(code=HUANCAYO_DISTRICT))
    response = client_for(national_manager).get(reverse("clients:company_detail", args=[other.pk]))
    assert response.status_code == 200
    assert other.legal_name in response.content.decode()


def test_the_needs_list_is_not_for_the_front_desk(client_for, front_desk, promoter):
    assert client_for(front_desk).get(reverse("clients:need_list")).status_code == 403
    assert client_for(promoter).get(reverse("clients:need_list")).status_code == 200


# --- Registering a company -------------------------------------------------------------------


def test_a_promoter_registers_a_company_and_its_size_class_is_computed(client_for, promoter):
    response = client_for(promoter).post(reverse("clients:company_create"), company_data())
    company = Company.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:company_detail", args=[company.pk])
    assert company.centre.name == "CentroPyME Lima"
    assert company.created_by == promoter
    # S/ 250,000 in 2025 is 46.7 UIT: micro under Ley 30056.
    assert company.size_class == "micro"
    assert company.history.first().history_user == promoter


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ruc", "20100070971", "no es válido"),
        ("ruc", "2010007097", "no es válido"),
        ("permanent_men", "-1", "mayor o igual a 0"),
        ("annual_sales", "mucho", "Introduzca un número"),
        ("district", "", "Este campo es requerido"),
    ],
)
def test_bad_input_shows_a_spanish_message_at_the_field_and_saves_nothing(client_for, promoter, field, value, message):
    response = client_for(promoter).post(reverse("clients:company_create"), company_data(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Company.objects.exists()


def test_a_duplicate_ruc_is_refused_with_a_link_to_the_existing_company(client_for, promoter, lima):
    existing = CompanyFactory(centre=lima, ruc=VALID_RUC)
    response = client_for(promoter).post(
        reverse("clients:company_create"), company_data(legal_name="Otra"), follow=True
    )
    assert "ya está registrada" in " ".join(response.context["form"].errors["ruc"])
    assert reverse("clients:company_detail", args=[existing.pk]) in response.content.decode()
    assert Company.objects.count() == 1


def test_a_similar_name_in_the_same_district_asks_for_confirmation_first(client_for, promoter, lima):
    CompanyFactory(centre=lima, legal_name="Lácteos Santa Rosa S.A.C.", name_key="lacteos santa rosa")
    client = client_for(promoter)
    first = client.post(reverse("clients:company_create"), company_data(ruc=""))
    assert first.status_code == 200
    assert "nombre parecido" in first.content.decode()
    assert Company.objects.count() == 1
    second = client.post(reverse("clients:company_create"), company_data(ruc="", confirm_similar="on"))
    assert second.status_code == 302
    assert Company.objects.count() == 2


def test_editing_a_company_keeps_its_own_ruc_and_records_history(client_for, promoter, coordinator, lima):
    company = CompanyFactory(centre=lima, ruc=VALID_RUC)
    response = client_for(promoter).post(
        reverse("clients:company_update", args=[company.pk]), company_data(legal_name="Lácteos Santa Rosa Renovada")
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.legal_name == "Lácteos Santa Rosa Renovada"
    history = client_for(coordinator).get(reverse("clients:company_history", args=[company.pk])).content.decode()
    assert "Lácteos Santa Rosa Renovada" in history


# --- Lists: search, filters, export, query counts ---------------------------------------------------


def test_the_company_list_searches_by_owner_and_filters_by_size(client_for, promoter, lima):
    bakery = CompanyFactory(centre=lima, legal_name="Panadería Los Andes", size_class="small")
    CompanyFactory(centre=lima, legal_name="Chocolates Cusco", size_class="micro")
    EntrepreneurFactory(centre=lima, company=bakery, first_name="Marta", last_name="Quispe", dni="44556677")
    client = client_for(promoter)
    by_owner = client.get(reverse("clients:company_list"), {"q": "Quispe"}).context["page_obj"]
    assert [c.legal_name for c in by_owner] == ["Panadería Los Andes"]
    by_dni = client.get(reverse("clients:company_list"), {"q": "44556677"}).context["page_obj"]
    assert [c.legal_name for c in by_dni] == ["Panadería Los Andes"]
    micro = client.get(reverse("clients:company_list"), {"size_class": "micro"}).context["page_obj"]
    assert [c.legal_name for c in micro] == ["Chocolates Cusco"]


def test_the_company_list_exports_the_filtered_rows_as_csv_and_xlsx(client_for, promoter, lima):
    from openpyxl import load_workbook

    CompanyFactory(centre=lima, legal_name="Panadería Los Andes", size_class="small")
    CompanyFactory(centre=lima, legal_name="Chocolates Cusco", size_class="micro")
    client = client_for(promoter)
    response = client.get(reverse("clients:company_list"), {"size_class": "small", "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Panadería Los Andes" in body
    assert "Chocolates Cusco" not in body
    xlsx = client.get(reverse("clients:company_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {rows[1][0], rows[2][0]} == {"Panadería Los Andes", "Chocolates Cusco"}


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_company_list_runs_the_same_queries_with_10_and_1000_companies(client_for, promoter, lima):
    client = client_for(promoter)
    bulk_companies(10, lima, promoter)
    small = _queries(client, reverse("clients:company_list"), {"q": "Empresa", "department": "15"})
    bulk_companies(990, lima, promoter, district="150132")
    large = _queries(client, reverse("clients:company_list"), {"q": "Empresa", "department": "15"})
    assert small == large


def test_the_company_file_runs_the_same_queries_however_much_it_holds(client_for, promoter, lima):
    client = client_for(promoter)
    company = CompanyFactory(centre=lima)
    diagnosis = DiagnosisFactory(company=company, promoter=promoter)
    ProblemNodeFactory(diagnosis=diagnosis)
    NeedFactory(company=company)
    EntrepreneurFactory(centre=lima, company=company)
    small = _queries(client, reverse("clients:company_detail", args=[company.pk]))
    bulk_companies(1000, lima, promoter)
    for _ in range(5):
        d = DiagnosisFactory(company=company, promoter=promoter)
        central = ProblemNodeFactory(diagnosis=d)
        ProblemNodeFactory(diagnosis=d, kind="cause", parent=central, text="Causa")
        NeedFactory(company=company, need_type="credit")
        EntrepreneurFactory(centre=lima, company=company)
    large = _queries(client, reverse("clients:company_detail", args=[company.pk]))
    assert small == large


def test_entrepreneur_and_need_lists_run_a_fixed_number_of_queries(client_for, coordinator, lima):
    client = client_for(coordinator)
    company = CompanyFactory(centre=lima)
    EntrepreneurFactory.create_batch(3, centre=lima, company=company)
    NeedFactory.create_batch(3, company=company)
    few = (_queries(client, reverse("clients:entrepreneur_list")), _queries(client, reverse("clients:need_list")))
    EntrepreneurFactory.create_batch(40, centre=lima, company=company)
    NeedFactory.create_batch(40, company=company)
    many = (_queries(client, reverse("clients:entrepreneur_list")), _queries(client, reverse("clients:need_list")))
    assert few == many


def test_a_page_past_the_end_shows_the_last_page(client_for, promoter, lima):
    bulk_companies(30, lima, promoter)
    response = client_for(promoter).get(reverse("clients:company_list"), {"page": "99"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


def test_the_location_selects_list_provinces_and_districts(client_for, promoter):
    client = client_for(promoter)
    provinces = client.get(reverse("clients:location_options"), {"department": "12"}).content.decode()
    assert "Huancayo" in provinces and "Concepción" in provinces
    districts = client.get(reverse("clients:location_options"), {"province": "1201"}).content.decode()
    assert "El Tambo" in districts and 'value="120114"' in districts


# --- Entrepreneurs ---------------------------------------------------------------------------------


def test_a_person_without_a_company_is_registered_as_a_protoempresa(client_for, front_desk):
    response = client_for(front_desk).post(
        reverse("clients:entrepreneur_create"),
        {
            "first_name": "Julia",
            "last_name": "Mamani",
            "dni": "40123456",
            "gender": "F",
            "business_idea": "Mermeladas",
            "data_consent": "True",
        },
    )
    person = Entrepreneur.objects.get()
    assert response.status_code == 302
    assert person.is_protoenterprise


def test_a_duplicate_dni_is_refused(client_for, promoter, lima):
    EntrepreneurFactory(centre=lima, dni="40123456")
    response = client_for(promoter).post(
        reverse("clients:entrepreneur_create"),
        {"first_name": "Otra", "last_name": "Persona", "dni": "40123456", "gender": "F", "data_consent": "False"},
    )
    assert "ya está registrada" in " ".join(response.context["form"].errors["dni"])
    assert Entrepreneur.objects.count() == 1


def test_an_owner_is_added_from_the_company_file(client_for, promoter, lima):
    company = CompanyFactory(centre=lima)
    response = client_for(promoter).post(
        reverse("clients:entrepreneur_create") + f"?company={company.pk}",
        {
            "first_name": "Pedro",
            "last_name": "Huamán",
            "gender": "M",
            "company": company.pk,
            "relationship": "owner",
            "data_consent": "True",
        },
    )
    assert response.status_code == 302
    assert company.people.get().relationship == "owner"


# --- Diagnosis and problem tree -----------------------------------------------------------------------


def diagnosis_data(**overrides):
    data = {
        "date": "2026-11-20",
        "product_line_count": "3",
        "patrimonial_band": "2500_5000",
        "equipment_band": "1000_3000",
        "working_day": "gt8",
        "workers_men": "2",
        "workers_women": "3",
        "monthly_sales": "12000",
        "is_formal": "true",
        "need_assistance": "on",
        "need_assistance_note": "Buenas prácticas de manufactura",
        "need_credit": "on",
        "need_credit_note": "Horno rotativo",
    }
    data.update(overrides)
    return data


def test_a_promoter_opens_a_diagnosis_and_its_needs_become_demand(client_for, promoter, lima):
    company = CompanyFactory(centre=lima)
    response = client_for(promoter).post(reverse("clients:diagnosis_create", args=[company.pk]), diagnosis_data())
    diagnosis = Diagnosis.objects.get()
    assert response.status_code == 302
    assert diagnosis.promoter == promoter and diagnosis.status == "draft"
    assert set(Need.objects.values_list("need_type", "status")) == {("assistance", "open"), ("credit", "open")}


def test_a_consultant_cannot_diagnose(client_for, consultant, lima):
    company = CompanyFactory(centre=lima)
    assert (
        client_for(consultant)
        .post(reverse("clients:diagnosis_create", args=[company.pk]), diagnosis_data())
        .status_code
        == 403
    )
    assert not Diagnosis.objects.exists()


def test_a_future_interview_date_is_refused(client_for, promoter, lima):
    company = CompanyFactory(centre=lima)
    response = client_for(promoter).post(
        reverse("clients:diagnosis_create", args=[company.pk]), diagnosis_data(date="2099-01-01")
    )
    assert "futuro" in " ".join(response.context["form"].errors["date"])
    assert not Diagnosis.objects.exists()


def test_the_tree_editor_adds_nodes_without_a_full_page(client_for, promoter, lima):
    diagnosis = DiagnosisFactory(company=CompanyFactory(centre=lima), promoter=promoter)
    client = client_for(promoter)
    url = reverse("clients:node_add", args=[diagnosis.pk])
    response = client.post(url, {"kind": "central", "text": "Baja calidad del yogur"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="tree-editor"' in response.content.decode()
    assert "<html" not in response.content.decode()
    client.post(url, {"kind": "cause", "text": "Leche sin enfriar"}, HTTP_HX_REQUEST="true")
    client.post(url, {"kind": "effect", "text": "Devoluciones"}, HTTP_HX_REQUEST="true")
    assert sorted(diagnosis.nodes.values_list("kind", flat=True)) == ["cause", "central", "effect"]


def test_a_second_central_problem_is_refused_with_a_message(client_for, promoter, lima):
    diagnosis = DiagnosisFactory(company=CompanyFactory(centre=lima), promoter=promoter)
    ProblemNodeFactory(diagnosis=diagnosis)
    response = client_for(promoter).post(
        reverse("clients:node_add", args=[diagnosis.pk]), {"kind": "central", "text": "Otro"}, HTTP_HX_REQUEST="true"
    )
    assert "ya tiene un problema central" in response.content.decode()
    assert diagnosis.nodes.count() == 1


def test_nodes_are_renamed_marked_moved_and_deleted(client_for, promoter, lima):
    diagnosis = DiagnosisFactory(company=CompanyFactory(centre=lima), promoter=promoter)
    central = ProblemNodeFactory(diagnosis=diagnosis)
    cause = ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=central, text="Horno viejo")
    other = ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=central, text="Sin registro")
    client = client_for(promoter)
    client.post(
        reverse("clients:node_update", args=[cause.pk]), {"text": "Horno sin termostato"}, HTTP_HX_REQUEST="true"
    )
    client.post(reverse("clients:node_update", args=[cause.pk]), {"to_address": "true"}, HTTP_HX_REQUEST="true")
    client.post(reverse("clients:node_move", args=[other.pk]), {"parent": cause.pk}, HTTP_HX_REQUEST="true")
    cause.refresh_from_db()
    other.refresh_from_db()
    assert cause.text == "Horno sin termostato" and cause.to_address
    assert other.parent == cause
    client.post(reverse("clients:node_delete", args=[cause.pk]), HTTP_HX_REQUEST="true")
    assert list(diagnosis.nodes.all()) == [central]


def test_a_node_of_another_centre_is_a_404(client_for, promoter, huancayo):
    diagnosis = DiagnosisFactory(
        company=CompanyFactory(centre=huancayo, district=Ubigeo.objects.get(code=HUANCAYO_DISTRICT))
    )
    node = ProblemNodeFactory(diagnosis=diagnosis)
    client = client_for(promoter)
    assert client.post(reverse("clients:node_update", args=[node.pk]), {"text": "x"}).status_code == 404
    assert client.post(reverse("clients:node_delete", args=[node.pk])).status_code == 404
    assert client.get(reverse("clients:diagnosis_detail", args=[diagnosis.pk])).status_code == 404
    assert ProblemNode.objects.filter(pk=node.pk, text="Baja productividad del horno").exists()


def test_completing_an_unfinished_diagnosis_says_what_is_missing_and_changes_nothing(client_for, promoter, lima):
    diagnosis = DiagnosisFactory(company=CompanyFactory(centre=lima), promoter=promoter)
    response = client_for(promoter).post(reverse("clients:diagnosis_complete", args=[diagnosis.pk]), follow=True)
    assert "Completa la línea de base" in response.content.decode()
    diagnosis.refresh_from_db()
    assert diagnosis.status == "draft"


def test_a_completed_diagnosis_is_read_only_for_the_promoter_but_not_for_the_administrator(
    client_for, promoter, administrator, lima
):
    diagnosis = DiagnosisFactory(company=CompanyFactory(centre=lima), promoter=promoter, product_line_count=2)
    central = ProblemNodeFactory(diagnosis=diagnosis)
    Diagnosis.objects.filter(pk=diagnosis.pk).update(status="completed", completed_at="2026-11-20T10:00:00Z")
    client = client_for(promoter)
    response = client.get(reverse("clients:diagnosis_update", args=[diagnosis.pk]), follow=True)
    assert "ya no se puede cambiar" in response.content.decode()
    client.post(reverse("clients:node_update", args=[central.pk]), {"text": "Cambiado"})
    central.refresh_from_db()
    assert central.text != "Cambiado"
    admin = client_for(administrator)
    assert admin.get(reverse("clients:diagnosis_update", args=[diagnosis.pk])).status_code == 200
    admin.post(reverse("clients:node_update", args=[central.pk]), {"text": "Cambiado"})
    central.refresh_from_db()
    assert central.text == "Cambiado"


def test_the_diagnosis_page_runs_the_same_queries_with_a_big_tree(client_for, promoter, lima):
    diagnosis = DiagnosisFactory(company=CompanyFactory(centre=lima), promoter=promoter)
    central = ProblemNodeFactory(diagnosis=diagnosis)
    ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=central, text="Causa")
    client = client_for(promoter)
    small = _queries(client, reverse("clients:diagnosis_detail", args=[diagnosis.pk]))
    for i in range(20):
        ProblemNodeFactory(diagnosis=diagnosis, kind="effect", parent=central, text=f"Efecto {i}")
    assert _queries(client, reverse("clients:diagnosis_detail", args=[diagnosis.pk])) == small


def test_the_promoter_home_lists_their_own_draft_diagnoses_only(client_for, promoter, lima):
    from core.tests.factories import UserFactory

    mine = DiagnosisFactory(company=CompanyFactory(centre=lima, legal_name="Mi Panadería"), promoter=promoter)
    DiagnosisFactory(company=CompanyFactory(centre=lima, legal_name="Ajena"), promoter=UserFactory())
    body = client_for(promoter).get(reverse("home")).content.decode()
    assert "Mis diagnósticos en borrador" in body
    assert reverse("clients:diagnosis_detail", args=[mine.pk]) in body
    assert "Ajena" not in body


def test_the_company_timeline_shows_its_diagnoses_without_a_second_query_for_them(client_for, promoter, lima):
    from clients.tests.factories import CompanyFactory as _Company
    from clients.tests.factories import DiagnosisFactory

    company = _Company(centre=lima)
    DiagnosisFactory(company=company, promoter=promoter)
    client = client_for(promoter)
    url = reverse("clients:company_detail", args=[company.pk])

    timeline = client.get(url).context["timeline"]
    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    assert [event.url for event in timeline if "/diagnoses/" in event.url] == [
        reverse("clients:diagnosis_detail", args=[company.diagnoses.get().pk])
    ]
    assert sum('FROM "clients_diagnosis"' in q["sql"] for q in queries.captured_queries) == 1
