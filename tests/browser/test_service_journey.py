"""One technical-assistance service through all six stages, each step by the role that does it."""

import datetime

import pytest
from django.utils import timezone

from assistance.models import Service
from clients import services as client_services
from clients.models import Need, Subsector, Ubigeo
from consultants.models import Consultant
from core.models import Centre, User
from funds import services as funds_services
from funds.models import VoucherProgramme

from .conftest import log_in, snapshot


@pytest.fixture
def diagnosed_company(demo_users):
    promoter = User.objects.get(username="promotor")
    lima = Centre.objects.get(name="CentroPyME Lima")
    company = client_services.company_create(
        user=promoter,
        centre=lima,
        fields={
            "legal_name": "Lácteos Santa Rosa",
            "subsector": Subsector.objects.get(name="Lácteos"),
            "district": Ubigeo.objects.get(code="150103"),
            "permanent_women": 3,
            "permanent_men": 1,
            "temporary_men": 0,
            "temporary_women": 0,
            "annual_sales": 180000,
            "sales_year": 2025,
        },
        confirm_similar=True,
    )
    diagnosis = client_services.diagnosis_create(
        user=promoter,
        company=company,
        fields={
            "product_line_count": 3,
            "patrimonial_band": "2500_5000",
            "equipment_band": "1000_3000",
            "working_day": "8",
        },
        needs={"assistance": "Mejorar el yogur"},
    )
    client_services.problem_node_add(
        user=promoter, diagnosis=diagnosis, kind="central", text="Yogur de calidad irregular"
    )
    cause = client_services.problem_node_add(
        user=promoter, diagnosis=diagnosis, kind="cause", text="Cultivo mal manejado"
    )
    # Chosen for action while building the tree: the service's scope is chosen among these.
    client_services.problem_node_update(user=promoter, node=cause, to_address=True)
    client_services.problem_node_add(
        user=promoter, diagnosis=diagnosis, kind="effect", text="Devoluciones de las bodegas"
    )
    client_services.diagnosis_complete(user=promoter, diagnosis=diagnosis)
    # The owner holds a BonoPyME voucher, issued by the centre's coordinator through funds.
    today = timezone.localdate()
    funds_services.voucher_issue(
        user=User.objects.get(username="coordinador"),
        programme=VoucherProgramme.objects.get(centre=lima, name="BonoPyME"),
        code="BP-LSR-001",
        amount=150,
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=335),
        holder_company=company,
    )
    # The demo directory links the user "consultor" to Jorge Mendoza, validated for Lima.
    consultant = Consultant.objects.get(user__username="consultor")
    assert consultant.status == Consultant.Status.VALIDATED and consultant.centres.filter(pk=lima.pk).exists()
    return company


def _as(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")
    return page


def _open_details(page, summary_text):
    page.locator("summary", has_text=summary_text).first.click()


def _advance(page, label):
    page.get_by_role("button", name=f"Pasar a {label}").click()
    page.get_by_text(f"El servicio pasó a {label}").wait_for()


def test_one_service_goes_through_all_six_stages(browser, live_server, diagnosed_company):
    company = diagnosed_company

    # 1-2. The promoter opens the service from the company's file and links the diagnosis.
    promoter = _as(browser, live_server, "promotor")
    promoter.goto(f"{live_server.url}/clients/companies/{company.pk}/")
    promoter.get_by_role("link", name="Abrir un servicio").click()
    promoter.select_option("#id_service_type", label="Derivados lácteos")
    promoter.fill("#id_title", "Mejora de la calidad del yogur")
    promoter.get_by_role("button", name="Abrir el servicio").click()
    promoter.get_by_text("abierto en promoción").wait_for()
    service = Service.objects.get(company=company)
    _advance(promoter, "Diagnóstico")
    promoter.get_by_label("Causa: Cultivo mal manejado").check()
    promoter.get_by_role("button", name="Vincular").click()
    promoter.get_by_text("Diagnóstico y problemas vinculados.").wait_for()
    _advance(promoter, "Propuesta técnica económica")
    assert Need.objects.get(company=company, need_type="assistance").status == "answered"

    # 3. The proposal: improvement plan, budget, a voucher, the owner's yes.
    _open_details(promoter, "Agregar una mejora")
    promoter.select_option("#id_improvement-problem_node", label="Causa: Cultivo mal manejado")
    promoter.fill("#id_improvement-improvement", "Manejo técnico del cultivo")
    promoter.fill("#id_improvement-expected_result", "Yogur de calidad constante")
    promoter.locator("form[action$='/improvements/'] button[type=submit]").click()
    promoter.get_by_text("Mejora agregada al plan.").wait_for()
    _open_details(promoter, "Agregar un costo")
    promoter.select_option("#id_budget-kind", "fees")
    promoter.fill("#id_budget-description", "Honorarios del consultor")
    promoter.fill("#id_budget-quantity", "10")
    promoter.fill("#id_budget-unit_cost", "45")
    promoter.locator("form[action$='/budget/'] button[type=submit]").click()
    promoter.get_by_text("Costo agregado al presupuesto.").wait_for()
    _open_details(promoter, "Agregar un subsidio o bono")
    promoter.select_option("#id_funding-kind", "voucher")
    promoter.fill("#id_funding-voucher_code", "BP-LSR-001")
    promoter.fill("#id_funding-amount", "150")
    promoter.locator("form[action$='/funding/'] button[type=submit]").click()
    promoter.get_by_text("Subsidio o cofinanciamiento agregado.").wait_for()
    assert promoter.locator("[data-total=owner]").inner_text() == "S/ 300.00"
    promoter.get_by_label("El empresario acepta la propuesta").check()
    promoter.get_by_role("button", name="Registrar la decisión").click()
    promoter.get_by_text("La decisión del empresario quedó registrada.").wait_for()
    promoter.context.close()

    # The coordinator approves the price, assigns the consultant, moves on to the action plan.
    coordinator = _as(browser, live_server, "coordinador")
    coordinator.goto(f"{live_server.url}/assistance/services/{service.pk}/")
    coordinator.get_by_role("button", name="Aprobar el precio").click()
    coordinator.get_by_text("Precio aprobado.").wait_for()
    coordinator.select_option("#id_assign-consultant", label="Jorge Mendoza")
    coordinator.get_by_role("button", name="Asignar").click()
    coordinator.get_by_text("Consultor asignado.").wait_for()
    _advance(coordinator, "Plan de acción")
    coordinator.context.close()

    # 4-5. The consultant fills the action plan, executes and reports.
    consultant = _as(browser, live_server, "consultor")
    consultant.goto(f"{live_server.url}/assistance/services/{service.pk}/")
    today = timezone.localdate()
    _open_details(consultant, "Agregar una actividad")
    consultant.fill("#id_activity-description", "Capacitar en manejo del cultivo")
    consultant.fill("#id_activity-responsible", "Jorge Mendoza")
    consultant.fill("#id_activity-planned_start", (today - datetime.timedelta(days=50)).isoformat())
    consultant.fill("#id_activity-planned_end", (today - datetime.timedelta(days=40)).isoformat())
    consultant.fill("#id_activity-planned_hours", "10")
    consultant.locator("form[action$='/activities/'] button[type=submit]").click()
    consultant.get_by_text("Actividad agregada al plan de acción.").wait_for()
    _open_details(consultant, "Agregar un indicador")
    consultant.fill("#id_indicator-name", "Lotes rechazados")
    consultant.fill("#id_indicator-unit", "%")
    consultant.fill("#id_indicator-baseline", "20")
    consultant.fill("#id_indicator-target", "5")
    consultant.locator("form[action$='/indicators/'] button[type=submit]").click()
    consultant.get_by_text("Indicador agregado al plan de acción.").wait_for()
    _advance(consultant, "Ejecución")
    _open_details(consultant, "Registrar una visita")
    consultant.fill("#id_visit-date", (today - datetime.timedelta(days=45)).isoformat())
    consultant.fill("#id_visit-hours", "4")
    consultant.fill("#id_visit-notes", "Se ajustó la temperatura de incubación")
    consultant.locator("form[action$='/visits/'] button[type=submit]").click()
    consultant.get_by_text("Visita registrada.").wait_for()
    _open_details(consultant, "Presentar el informe técnico")
    consultant.fill("#id_report-ended_on", (today - datetime.timedelta(days=35)).isoformat())
    consultant.fill("#id_report-summary", "Se estandarizó el manejo del cultivo")
    consultant.fill("#id_report-results", "Los lotes rechazados bajaron")
    consultant.get_by_role("button", name="Presentar informe").click()
    consultant.get_by_text("Informe técnico presentado").wait_for()
    consultant.context.close()

    # 6. The promoter evaluates: the service closes.
    promoter = _as(browser, live_server, "promotor")
    promoter.goto(f"{live_server.url}/assistance/services/{service.pk}/")
    promoter.locator("input[name^=evaluation-measure_]").fill("4")
    promoter.check("input[name='evaluation-satisfaction'][value='4']")
    promoter.get_by_role("button", name="Registrar la evaluación").click()
    promoter.get_by_text("Evaluación registrada: el servicio está cerrado.").wait_for()
    snapshot(promoter, "service-expediente-closed.png")
    promoter.set_viewport_size({"width": 375, "height": 740})
    snapshot(promoter, "service-expediente-closed-phone.png")
    promoter.context.close()

    service.refresh_from_db()
    assert service.stage == "closed"
    assert service.total_cost == 450 and service.owner_share == 300
    assert list(service.changes.values_list("to_stage", flat=True)) == [
        "promotion",
        "diagnosis",
        "proposal",
        "action_plan",
        "execution",
        "evaluation",
        "closed",
    ]
    assert service.indicators.get().target_reached is True
