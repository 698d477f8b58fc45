"""The service pages: who may see and do what, refusals that change nothing, fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistance.models import BudgetLine, Service, Stage
from assistance.tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    ConsultantFactory,
    ImprovementFactory,
    IndicatorFactory,
    ServiceFactory,
    service_type,
)
from clients.models import Ubigeo
from clients.tests.factories import HUANCAYO_DISTRICT, CompanyFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_promoter_opens_a_service_for_a_company_of_their_centre(client_for, promoter, lima):
    company = CompanyFactory(centre=lima)
    response = client_for(promoter).post(
        reverse("assistance:service_open"),
        {"company": company.pk, "service_type": service_type().pk, "area": "production", "title": "Mejorar el pan"},
    )
    service = Service.objects.get()
    assert response.status_code == 302
    assert service.stage == Stage.PROMOTION and service.code.startswith("SAT-")
    assert service.changes.count() == 1


def test_a_company_of_another_centre_cannot_get_a_service(client_for, promoter, huancayo):
    other = CompanyFactory(centre=huancayo, district=Ubigeo.objects.get(code=HUANCAYO_DISTRICT))
    response = client_for(promoter).post(
        reverse("assistance:service_open"),
        {"company": other.pk, "service_type": service_type().pk, "area": "production", "title": "x"},
    )
    assert response.status_code == 200
    assert not Service.objects.exists()


@pytest.mark.parametrize("fixture", ["consultant", "credit_officer", "front_desk", "national_manager"])
def test_roles_that_do_not_promote_cannot_open_services(request, client_for, fixture):
    assert client_for(request.getfixturevalue(fixture)).get(reverse("assistance:service_open")).status_code == 403


def test_a_consultant_sees_only_the_services_assigned_to_them(client_for, consultant, lima):
    from core.tests.factories import UserFactory

    mine = ServiceFactory(company=CompanyFactory(centre=lima))
    ConsultantFactory(user=consultant, centres=[lima]).services.add(mine)
    other_consultant = UserFactory(roles=["consultant"], centres=[lima])
    theirs = ServiceFactory(company=CompanyFactory(centre=lima))
    ConsultantFactory(user=other_consultant, centres=[lima]).services.add(theirs)
    client = client_for(consultant)
    assert client.get(reverse("assistance:service_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("assistance:service_detail", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("assistance:service_list")).context["page_obj"]
    assert [s.pk for s in listing] == [mine.pk]
    response = client.post(reverse("assistance:activity_add", args=[theirs.pk]), {"activity-description": "x"})
    assert response.status_code == 404


def test_a_lima_promoter_gets_404_for_a_huancayo_service(client_for, promoter, huancayo):
    service = ServiceFactory(
        company=CompanyFactory(centre=huancayo, district=Ubigeo.objects.get(code=HUANCAYO_DISTRICT))
    )
    assert client_for(promoter).get(reverse("assistance:service_detail", args=[service.pk])).status_code == 404


def test_skipping_a_stage_from_the_page_is_refused_and_changes_nothing(client_for, coordinator, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima))
    before = service.stage_changed_at
    response = client_for(coordinator).post(
        reverse("assistance:service_advance", args=[service.pk]), {"to_stage": "proposal"}, follow=True
    )
    service.refresh_from_db()
    assert service.stage == Stage.PROMOTION and service.stage_changed_at == before
    assert "las etapas van una tras otra" in response.content.decode()


def test_a_promoter_cannot_approve_the_price(client_for, promoter, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima), stage=Stage.PROPOSAL)
    BudgetLineFactory(service=service)
    assert client_for(promoter).post(reverse("assistance:approve_price", args=[service.pk])).status_code == 403
    service.refresh_from_db()
    assert service.price_approved_at is None


def test_a_voucher_larger_than_the_remaining_cost_is_refused_from_the_page(client_for, promoter, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima), stage=Stage.PROPOSAL)
    client = client_for(promoter)
    client.post(
        reverse("assistance:budget_add", args=[service.pk]),
        {"budget-kind": "fees", "budget-description": "Honorarios", "budget-quantity": "10", "budget-unit_cost": "40"},
    )
    response = client.post(
        reverse("assistance:funding_add", args=[service.pk]),
        {"funding-kind": "voucher", "funding-voucher_code": "BP-1", "funding-amount": "500"},
        follow=True,
    )
    service.refresh_from_db()
    assert service.total_cost == 400 and service.total_funding == 0 and service.owner_share == 400
    assert "es mayor que lo que falta pagar" in response.content.decode()


def test_a_budget_quantity_that_is_not_a_number_is_refused(client_for, promoter, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima), stage=Stage.PROPOSAL)
    response = client_for(promoter).post(
        reverse("assistance:budget_add", args=[service.pk]),
        {"budget-kind": "fees", "budget-description": "x", "budget-quantity": "diez", "budget-unit_cost": "40"},
        follow=True,
    )
    assert not BudgetLine.objects.exists()
    assert "Introduzca un número" in response.content.decode()


def test_only_a_coordinator_cancels_and_a_reason_is_required(client_for, promoter, coordinator, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima))
    assert (
        client_for(promoter)
        .post(reverse("assistance:service_cancel", args=[service.pk]), {"cancel-reason": "x"})
        .status_code
        == 403
    )
    client = client_for(coordinator)
    client.post(reverse("assistance:service_cancel", args=[service.pk]), {"cancel-reason": ""})
    service.refresh_from_db()
    assert service.stage == Stage.PROMOTION
    client.post(reverse("assistance:service_cancel", args=[service.pk]), {"cancel-reason": "El empresario viajó"})
    service.refresh_from_db()
    assert service.stage == Stage.CANCELLED and service.cancel_reason == "El empresario viajó"


def _full_service(lima, n_lines):
    service = ServiceFactory(company=CompanyFactory(centre=lima), stage=Stage.EXECUTION)
    ConsultantFactory(centres=[lima]).services.add(service)
    for _ in range(n_lines):
        ImprovementFactory(service=service)
        BudgetLineFactory(service=service)
        ActivityFactory(service=service)
        IndicatorFactory(service=service)
    return service


def _bulk_services(n, lima, promoter, start=0):
    company = CompanyFactory(centre=lima)
    stages = [Stage.PROMOTION, Stage.DIAGNOSIS, Stage.PROPOSAL, Stage.ACTION_PLAN, Stage.EXECUTION, Stage.EVALUATION]
    Service.objects.bulk_create(
        [
            Service(
                centre=lima,
                company=company,
                code=f"SAT-B-{start + i:05d}",
                title="Servicio",
                service_type=service_type(),
                stage=stages[i % 6],
                stage_changed_at=timezone.now(),
                promoter=promoter,
                created_by=promoter,
                execution_ended_on=timezone.localdate() if stages[i % 6] == Stage.EVALUATION else None,
            )
            for i in range(n)
        ]
    )


def test_the_expediente_runs_the_same_queries_with_10_and_500_services(client_for, coordinator, promoter, lima):
    client = client_for(coordinator)
    _bulk_services(10, lima, promoter)
    small = _queries(client, reverse("assistance:service_detail", args=[_full_service(lima, 1).pk]))
    _bulk_services(490, lima, promoter, start=10)
    large = _queries(client, reverse("assistance:service_detail", args=[_full_service(lima, 12).pk]))
    assert small == large


def test_the_pipeline_board_runs_the_same_queries_with_10_and_500_services(client_for, coordinator, lima, promoter):
    client = client_for(coordinator)

    def make(n, start):
        _bulk_services(n, lima, promoter, start)

    make(10, 0)
    small = _queries(client, reverse("assistance:pipeline"))
    make(490, 10)
    large = _queries(client, reverse("assistance:pipeline"))
    assert small == large
    board = client.get(reverse("assistance:pipeline")).context["columns"]
    assert sum(column["count"] for column in board) == 500


def test_the_service_list_runs_a_fixed_number_of_queries(client_for, coordinator, lima):
    client = client_for(coordinator)
    ServiceFactory.create_batch(3, company=CompanyFactory(centre=lima))
    small = _queries(client, reverse("assistance:service_list"))
    ServiceFactory.create_batch(40, company=CompanyFactory(centre=lima))
    assert _queries(client, reverse("assistance:service_list")) == small


def test_services_show_in_the_company_timeline(client_for, promoter, lima):
    service = ServiceFactory(company=CompanyFactory(centre=lima), title="Mejora del manjar blanco")
    body = client_for(promoter).get(reverse("clients:company_detail", args=[service.company_id])).content.decode()
    assert "Mejora del manjar blanco" in body
    assert reverse("assistance:service_detail", args=[service.pk]) in body


def test_the_company_timeline_reads_its_services_in_one_query_however_many(client_for, promoter, lima):
    company = CompanyFactory(centre=lima)
    ServiceFactory(company=company)
    client, url = client_for(promoter), reverse("clients:company_detail", args=[company.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    ServiceFactory.create_batch(4, company=company)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert len([e for e in response.context["timeline"] if "/services/" in e.url]) == 5
    assert len(five) == len(one)


def test_accreditation_documents_are_served_only_to_directory_readers(client_for, administrator, promoter, lima):
    from consultants.tests.factories import DocumentFactory

    document = DocumentFactory(consultant=ConsultantFactory(centres=[lima]))
    url = reverse("consultants:document_download", args=[document.consultant_id, document.pk])
    response = client_for(administrator).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(promoter).get(url).status_code == 403


def test_a_visit_attachment_is_not_served_to_another_centre(client_for, promoter_huancayo, coordinator, lima):
    from django.core.files.base import ContentFile

    from assistance.models import Visit
    from consultants.tests.factories import PDF_BYTES

    service = _full_service(lima, 1)
    visit = Visit.objects.create(
        service=service,
        consultant=service.consultants.get(),
        date=timezone.localdate(),
        hours=2,
        notes="Visita",
        attachment=ContentFile(PDF_BYTES, name="acta.pdf"),
    )
    url = reverse("assistance:service_file", args=[service.pk, "visit", visit.pk])
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(promoter_huancayo).get(url).status_code == 404


def test_a_problem_of_the_tree_goes_into_the_improvement_plan_from_one_link(client_for, promoter, lima):
    from clients.tests.factories import DiagnosisFactory, ProblemNodeFactory

    service = ServiceFactory(company=CompanyFactory(centre=lima), stage=Stage.PROPOSAL)
    diagnosis = DiagnosisFactory(company=service.company)
    central = ProblemNodeFactory(diagnosis=diagnosis)
    cause = ProblemNodeFactory(diagnosis=diagnosis, kind="cause", parent=central, text="Horno sin termostato")
    service.diagnosis = diagnosis
    service.save(update_fields=["diagnosis"])
    service.addressed_nodes.add(cause)
    client = client_for(promoter)
    page = client.get(reverse("assistance:service_detail", args=[service.pk])).content.decode()
    assert f"?node={cause.pk}#proposal" in page
    form = client.get(reverse("assistance:service_detail", args=[service.pk]), {"node": cause.pk}).context[
        "improvement_form"
    ]
    assert str(form["problem_node"].value()) == str(cause.pk)
    client.post(
        reverse("assistance:improvement_add", args=[service.pk]),
        {
            "improvement-problem_node": cause.pk,
            "improvement-improvement": "Termostato",
            "improvement-expected_result": "Merma 5 %",
        },
    )
    item = service.improvements.get()
    assert item.problem == "Horno sin termostato" and item.problem_node == cause


def test_the_consultant_reports_activity_progress_during_execution(client_for, consultant, promoter, lima):
    service = _full_service(lima, 1)
    service.consultants.update(user=consultant)
    activity = service.activities.get()
    client_for(consultant).post(
        reverse("assistance:activity_progress", args=[service.pk, activity.pk]), {"progress": "60"}
    )
    activity.refresh_from_db()
    assert activity.progress == 60
    client_for(consultant).post(
        reverse("assistance:activity_progress", args=[service.pk, activity.pk]), {"progress": "130"}
    )
    activity.refresh_from_db()
    assert activity.progress == 60
    assert (
        client_for(promoter)
        .post(reverse("assistance:activity_progress", args=[service.pk, activity.pk]), {"progress": "10"})
        .status_code
        == 403
    )


def test_a_stage_limit_changed_in_the_settings_record_moves_the_late_markers_without_a_restart(
    client_for, coordinator, lima
):
    from core.models import CentreSettings

    service = ServiceFactory(company=CompanyFactory(centre=lima), stage=Stage.PROMOTION)
    Service.objects.filter(pk=service.pk).update(stage_changed_at=timezone.now() - timezone.timedelta(days=35))
    client = client_for(coordinator)

    def late():
        board = client.get(reverse("assistance:pipeline")).context["columns"]
        return [row["late"] for column in board for row in column["services"]]

    assert late() == [True]  # the default: 30 days in promotion
    CentreSettings.objects.update_or_create(centre=lima, defaults={"promotion_limit_days": 40})
    assert late() == [False]
    CentreSettings.objects.filter(centre=lima).update(promotion_limit_days=20)
    assert late() == [True]


def test_a_consultant_sees_in_the_company_timeline_only_the_services_assigned_to_them(client_for, consultant, lima):
    company = CompanyFactory(centre=lima)
    theirs = ServiceFactory(company=company, title="Mejora del manjar blanco")
    ServiceFactory(company=company, title="Registro sanitario del yogur")
    theirs.consultants.add(ConsultantFactory(user=consultant, centres=[lima]))

    timeline = client_for(consultant).get(reverse("clients:company_detail", args=[company.pk])).context["timeline"]

    assert [event.title.split(" · ")[1].split(" (")[0] for event in timeline] == ["Mejora del manjar blanco"]


def test_the_expediente_tables_carry_labels_so_they_read_as_cards_on_a_phone(client_for, coordinator, lima):
    service = _full_service(lima, 2)
    body = client_for(coordinator).get(reverse("assistance:service_detail", args=[service.pk])).content.decode()
    assert body.count('class="table table-sm table-stack"') == 4
    for label in ('data-label="Costo"', 'data-label="Monto"', 'data-label="Actividad"', 'data-label="Indicador"'):
        assert label in body
