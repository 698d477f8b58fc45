import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Entrepreneur, Need
from clients.tests.factories import CompanyFactory, EntrepreneurFactory
from consultations.models import Consultation, Supplier
from consultations.tests.factories import ConsultationFactory, FactSheetFactory, SupplierFactory, topic
from consultations.views import REMEMBERED

pytestmark = pytest.mark.django_db

LIST = "consultations:consultation_list"
NEW = "consultations:consultation_create"


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _populate(n, lima, user):
    for i in range(n):
        company = CompanyFactory(centre=lima) if i % 3 == 0 else None
        consultation = ConsultationFactory(
            centre=lima,
            recorded_by=user,
            company=company,
            contact_name="" if company else f"Contacto {i}",
            referral="training" if company else "",
        )
        if company:
            consultation.need = Need.objects.create(centre=lima, company=company, need_type="training")
            consultation.save()


def test_the_list_runs_the_same_queries_with_3_and_with_40_consultations(client_for, front_desk, lima):
    client = client_for(front_desk)
    url = reverse(LIST)
    _populate(3, lima, front_desk)
    few, _r = _queries(client, url)
    _populate(37, lima, front_desk)
    many, response = _queries(client, url, {"o": "-duration"})
    assert few == many
    assert len(response.context["page_obj"]) == 25


def test_the_list_shows_only_the_users_centres_consultations(client_for, front_desk, lima, huancayo):
    ConsultationFactory(centre=lima, question="¿Envases para mermelada?")
    ConsultationFactory(centre=huancayo, question="¿Cómo registro mi miel?")
    body = client_for(front_desk).get(reverse(LIST)).content.decode()
    assert "¿Envases para mermelada?" in body and "¿Cómo registro mi miel?" not in body


def test_another_centres_consultation_is_not_found(client_for, front_desk, huancayo):
    other = ConsultationFactory(centre=huancayo)
    response = client_for(front_desk).get(reverse("consultations:consultation_detail", args=[other.pk]))
    assert response.status_code == 404


def test_a_consultant_cannot_open_the_desk_form_but_reads_the_library(client_for, consultant):
    client = client_for(consultant)
    assert client.get(reverse(NEW)).status_code == 403
    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(reverse("consultations:supplier_list")).status_code == 200


def test_the_export_has_one_row_per_consultation(client_for, front_desk, lima):
    _populate(4, lima, front_desk)
    response = client_for(front_desk).get(reverse(LIST), {"export": "csv"})
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert len(lines) == 5


def test_saving_opens_a_fresh_form_with_the_channel_remembered(client_for, front_desk, lima):
    client = client_for(front_desk)
    response = client.post(
        reverse(NEW),
        {"topic": topic().pk, "channel": "phone", "question": "¿Dónde compro pectina?", "contact_name": "Luis"},
    )
    assert response.status_code == 302 and response.url == reverse(NEW)
    assert client.session[REMEMBERED]["channel"] == "phone"
    page = client.get(reverse(NEW))
    assert page.context["form"].initial["channel"] == "phone"
    consultation = Consultation.objects.get()
    assert consultation.recorded_by == front_desk and consultation.centre == lima
    assert consultation.ended_at >= consultation.started_at


def test_the_form_starts_the_clock_when_it_opens(client_for, front_desk, lima):
    before = timezone.now()
    form = client_for(front_desk).get(reverse(NEW)).context["form"]
    assert before <= form.initial["started_at"] <= timezone.now()


def test_the_start_rendered_in_the_form_is_the_start_saved(client_for, front_desk, lima):
    import re

    client = client_for(front_desk)
    html = client.get(reverse(NEW)).content.decode()
    started = re.search(r'name="started_at" value="([^"]+)"', html).group(1)
    client.post(
        reverse(NEW),
        {"topic": topic().pk, "channel": "visit", "question": "¿?", "contact_name": "Luis", "started_at": started},
    )
    consultation = Consultation.objects.get()
    assert timezone.localtime(consultation.started_at).strftime("%Y-%m-%d %H:%M:%S") == started[:19]


def test_the_client_search_finds_companies_and_people_of_the_users_centre_only(client_for, front_desk, lima, huancayo):
    CompanyFactory(centre=lima, legal_name="Panificadora Santa Rosa")
    CompanyFactory(centre=huancayo, legal_name="Panificadora Santa Rosa de Huancayo")
    EntrepreneurFactory(centre=lima, first_name="Rosa", last_name="Santa Cruz", company=None)
    found = client_for(front_desk).get(reverse("consultations:client_search"), {"q": "santa"}).json()["results"]
    assert sorted((r["kind"], r["label"]) for r in found) == [
        ("company", "Panificadora Santa Rosa"),
        ("entrepreneur", "Rosa Santa Cruz"),
    ]


def test_complete_into_client_prefills_the_person_form_and_links_the_consultation(client_for, front_desk, lima):
    consultation = ConsultationFactory(
        centre=lima, contact_name="Julia Mamani", contact_phone="987654321", referral="credit"
    )
    client = client_for(front_desk)
    url = reverse("consultations:consultation_complete_contact", args=[consultation.pk])
    form = client.get(url).context["form"]
    assert (form.initial["first_name"], form.initial["last_name"], form.initial["phone"]) == (
        "Julia",
        "Mamani",
        "987654321",
    )
    response = client.post(
        url, {"first_name": "Julia", "last_name": "Mamani", "phone": "987654321", "gender": "F", "data_consent": "True"}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    person = Entrepreneur.objects.get()
    assert consultation.entrepreneur == person and consultation.need.need_type == "credit"


def test_the_conversion_report_is_for_coordinators_not_the_desk(client_for, coordinator, front_desk, lima):
    _populate(3, lima, front_desk)
    assert client_for(front_desk).get(reverse("consultations:conversion_report")).status_code == 403
    response = client_for(coordinator).get(reverse("consultations:conversion_report"))
    assert [(r["label"], r["referred"], r["converted"]) for r in response.context["by_channel"]] == [("Visita", 1, 0)]
    assert response.context["chart"]["referred"] == [1]


def test_a_coordinator_keeps_the_library_and_the_desk_only_reads_it(client_for, coordinator, front_desk, lima):
    supplier = SupplierFactory(centre=lima)
    url = reverse("consultations:supplier_update", args=[supplier.pk])
    assert client_for(front_desk).post(url, {"name": "Otro"}).status_code == 403
    response = client_for(coordinator).post(
        url, {"name": "Vidrios Andinos", "supplies": "Frascos", "source": "centre", "is_active": "on"}
    )
    assert response.status_code == 302
    assert Supplier.objects.get().name == "Vidrios Andinos"


def test_a_consultation_names_the_sources_used(client_for, front_desk, lima):
    supplier = SupplierFactory(centre=None, source="ipenbal")
    sheet = FactSheetFactory(centre=lima)
    client_for(front_desk).post(
        reverse(NEW),
        {
            "topic": topic().pk,
            "channel": "visit",
            "question": "¿Qué necesito para el registro sanitario?",
            "contact_name": "Luis",
            "suppliers": [supplier.pk],
            "fact_sheets": [sheet.pk],
        },
    )
    consultation = Consultation.objects.get()
    assert list(consultation.suppliers.all()) == [supplier] and list(consultation.fact_sheets.all()) == [sheet]


def test_the_company_timeline_shows_its_consultations(client_for, promoter, lima):
    company = CompanyFactory(centre=lima)
    ConsultationFactory(
        centre=lima, company=company, contact_name="", started_at=timezone.now() - datetime.timedelta(days=2)
    )
    response = client_for(promoter).get(reverse("clients:company_detail", args=[company.pk]))
    assert [str(e.kind) for e in response.context["timeline"]] == ["Consulta"]
    assert f"{company.consultations.get().topic} · " in response.context["timeline"][0].title


def test_the_company_timeline_reads_its_consultations_in_one_query_however_many(client_for, promoter, lima):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    company = CompanyFactory(centre=lima)
    ConsultationFactory(centre=lima, company=company, contact_name="")
    client, url = client_for(promoter), reverse("clients:company_detail", args=[company.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    ConsultationFactory.create_batch(4, centre=lima, company=company, contact_name="")
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert len([e for e in response.context["timeline"] if str(e.kind) == "Consulta"]) == 5
    assert len(five) == len(one)


def test_the_desk_home_offers_a_new_consultation_and_lists_todays(client_for, front_desk, promoter, lima):
    mine = ConsultationFactory(centre=lima, recorded_by=front_desk, contact_name="Julia Mamani")
    ConsultationFactory(centre=lima, recorded_by=promoter, contact_name="Otra Persona")
    body = client_for(front_desk).get(reverse("home")).content.decode()
    assert "Mis consultas de hoy" in body and reverse(NEW) in body
    assert reverse("consultations:consultation_detail", args=[mine.pk]) in body and "Otra Persona" not in body


def test_a_typed_end_is_kept_and_a_long_consultation_is_flagged_on_its_page(client_for, front_desk, lima):
    client = client_for(front_desk)
    start = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(minutes=20)
    client.post(
        reverse(NEW),
        {
            "topic": topic().pk,
            "channel": "visit",
            "question": "¿Cómo hago un plan de negocios?",
            "contact_name": "Luis",
            "started_at": start.strftime("%Y-%m-%d %H:%M:%S"),
            "ended_at": (start + datetime.timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    consultation = Consultation.objects.get()
    assert consultation.duration_seconds // 60 == 15 and consultation.over_limit
    body = client.get(reverse("consultations:consultation_detail", args=[consultation.pk])).content.decode()
    assert "Más de 10 minutos" in body


def test_a_user_of_two_centres_chooses_the_centre_and_it_is_remembered(client_for, administrator, huancayo):
    administrator.centres.add(huancayo)
    client = client_for(administrator)
    client.post(
        reverse(NEW),
        {"topic": topic().pk, "channel": "internet", "question": "¿?", "contact_name": "Ana", "centre": huancayo.pk},
    )
    assert Consultation.objects.get().centre == huancayo
    form = client.get(reverse(NEW)).context["form"]
    assert form.fields["centre"].initial == huancayo.pk and form.initial["channel"] == "internet"


def test_the_library_lists_run_the_same_queries_however_many_entries(client_for, consultant, lima):
    client = client_for(consultant)
    SupplierFactory(centre=lima)
    FactSheetFactory(centre=None)
    few = [_queries(client, reverse(n))[0] for n in ("consultations:supplier_list", "consultations:fact_sheet_list")]
    for _ in range(30):
        SupplierFactory(centre=lima)
        FactSheetFactory(centre=None)
    many = [_queries(client, reverse(n))[0] for n in ("consultations:supplier_list", "consultations:fact_sheet_list")]
    assert few == many


def test_another_centres_library_entries_are_hidden(client_for, front_desk, huancayo):
    sheet = FactSheetFactory(centre=huancayo)
    assert client_for(front_desk).get(reverse("consultations:fact_sheet_detail", args=[sheet.pk])).status_code == 404


def test_a_coordinator_adds_a_fact_sheet_with_a_file_and_the_desk_downloads_it(
    client_for, coordinator, front_desk, lima
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consultations.models import FactSheet

    response = client_for(coordinator).post(
        reverse("consultations:fact_sheet_create"),
        {
            "title": "Registro sanitario DIGESA",
            "file": SimpleUploadedFile("digesa.pdf", b"%PDF-1.4 ficha", content_type="application/pdf"),
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    sheet = FactSheet.objects.get()
    download = client_for(front_desk).get(reverse("consultations:fact_sheet_file", args=[sheet.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ficha"


def test_a_fact_sheet_without_text_or_file_is_refused(client_for, coordinator):
    from consultations.models import FactSheet

    response = client_for(coordinator).post(
        reverse("consultations:fact_sheet_create"), {"title": "Vacía", "is_active": "on"}
    )
    assert response.status_code == 200 and FactSheet.objects.count() == 0
    assert "Escriba el texto de la ficha o adjunte su archivo." in response.content.decode()


def test_the_consultation_history_shows_who_recorded_it(client_for, front_desk, coordinator, lima):
    consultation = ConsultationFactory(centre=lima, recorded_by=front_desk)
    response = client_for(coordinator).get(reverse("consultations:consultation_history", args=[consultation.pk]))
    assert len(response.context["rows"]) == 1


def test_the_conversion_report_runs_the_same_queries_with_3_and_with_40_consultations(
    client_for, coordinator, front_desk, lima
):
    client = client_for(coordinator)
    url = reverse("consultations:conversion_report")
    _populate(3, lima, front_desk)
    few, _r = _queries(client, url)
    _populate(37, lima, front_desk)
    many, response = _queries(client, url)
    assert few == many
    assert sum(row["referred"] for row in response.context["by_topic"]) == 14


def test_the_xlsx_export_is_a_workbook_with_a_row_per_consultation(client_for, front_desk, lima):
    import io

    from openpyxl import load_workbook

    _populate(3, lima, front_desk)
    response = client_for(front_desk).get(reverse(LIST), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "Fecha"
