"""A PROCOMPITE contest from the call to a winner: the coordinator prepares and publishes it, a promoter
writes and submits an AEO's business plan, the committee scores it and the winner is declared."""

import datetime

import pytest
from django.utils import timezone

from core.models import Centre, User
from funds import services
from funds.models import AEO, BusinessPlan, Contest
from funds.tests.factories import CUSCO_DISTRICT

from .conftest import ARTIFACTS, log_in


def _as(browser, live_server, username):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="es-PE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.asked = []  # the confirmations shown (cat.js's data-confirm, under the CSP: no inline handler)
    page.on("dialog", lambda dialog: (page.asked.append(dialog.message), dialog.accept()))
    log_in(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def aeo(demo_users):
    """An association of twelve cacao growers with its board and certified minutes."""
    from django.core.files.base import ContentFile

    from clients.models import Ubigeo

    promoter = User.objects.get(username="promotor")
    aeo = services.aeo_create(
        user=promoter,
        centre=Centre.objects.get(name="CentroPyME Lima"),
        kind=AEO.Kind.NATURAL,
        name="Asociación de Cacaoteros de Echarati",
        founded_on=datetime.date(2019, 4, 1),
        annual_sales=90000,
        district=Ubigeo.objects.get(code=CUSCO_DISTRICT),
        minutes=ContentFile(b"%PDF-1.4 acta", name="acta.pdf"),
        minutes_certified_by="Juez de paz de Echarati",
    )
    for i, role in enumerate(["president", "secretary", "treasurer"] + ["member"] * 9):
        services.aeo_member_add(user=promoter, aeo=aeo, dni=f"4{i:07d}", full_name=f"Socio {i + 1}", board_role=role)
    return aeo


@pytest.mark.django_db(transaction=True)
def test_a_contest_runs_from_the_call_to_a_winner(browser, live_server, aeo):
    today = timezone.localdate()
    coordinator = _as(browser, live_server, "coordinador")

    # 1. The coordinator prepares the call: the categories A, B and C come with the seed's rules.
    coordinator.goto(f"{live_server.url}/funds/contests/new/")
    coordinator.fill("#id_name", "PROCOMPITE Provincial La Convención")
    coordinator.fill("#id_owner", "Municipalidad Provincial de La Convención")
    coordinator.fill("#id_year", str(today.year))
    coordinator.fill("#id_budget", "300000")
    coordinator.get_by_label("Cacao").check()
    coordinator.fill("#id_zones", "La Convención")
    coordinator.fill("#id_call_on", (today - datetime.timedelta(days=10)).isoformat())
    coordinator.fill("#id_submissions_until", (today + datetime.timedelta(days=20)).isoformat())
    coordinator.fill("#id_evaluation_until", (today + datetime.timedelta(days=40)).isoformat())
    coordinator.fill("#id_results_on", (today + datetime.timedelta(days=50)).isoformat())
    coordinator.get_by_label("Carmen Huamán").check()
    coordinator.get_by_role("button", name="Guardar").click()
    coordinator.get_by_text("Concurso preparado con las categorías A, B y C").wait_for()
    contest = Contest.objects.get(name="PROCOMPITE Provincial La Convención")
    assert list(contest.categories.values_list("code", flat=True)) == ["A", "B", "C"]
    coordinator.get_by_role("button", name="Publicar la convocatoria").click()
    coordinator.get_by_text("La convocatoria está publicada.").wait_for()

    # 2. A promoter writes the AEO's plan; the page names what is missing until it fits category A.
    promoter = _as(browser, live_server, "promotor")
    promoter.goto(f"{live_server.url}/funds/contests/{contest.pk}/")
    promoter.get_by_role("link", name="Nuevo plan de negocio").click()
    promoter.select_option("#id_aeo", label=aeo.name)
    promoter.select_option("#id_chain", label="Cacao")
    promoter.select_option("#id_category", label="Categoría A")
    promoter.fill("#id_title", "Pasta de cacao para chocolate de taza")
    promoter.fill("#id_direct_jobs", "6")
    promoter.fill("#id_indirect_jobs", "24")
    promoter.get_by_role("button", name="Guardar").click()
    promoter.get_by_text("Plan de negocio iniciado").wait_for()
    for description, price, source in (
        ("Tostadora de cacao", "100000", "public"),
        ("Aporte de los socios", "6000", "money"),
        ("Local de acopio", "30000", "in_kind"),
    ):
        if not promoter.locator("#id_line-description").is_visible():
            promoter.get_by_text("Agregar un bien o servicio").click()
        promoter.select_option("#id_line-kind", "goods")
        promoter.fill("#id_line-description", description)
        promoter.fill("#id_line-quantity", "1")
        promoter.fill("#id_line-unit_price", price)
        promoter.select_option("#id_line-source", source)
        promoter.get_by_role("button", name="Agregar la línea").click()
        promoter.get_by_text("Línea agregada.").wait_for()
    promoter.get_by_text("La contrapartida monetaria es 4.41 %; la categoría A exige al menos 5 %.").wait_for()
    plan = BusinessPlan.objects.get(contest=contest)
    money_line = plan.lines.get(source="money")
    promoter.locator(f"form[action$='/lines/{money_line.pk}/delete/'] button").click()
    promoter.get_by_text("Línea quitada.").wait_for()
    promoter.get_by_text("Agregar un bien o servicio").click()
    promoter.select_option("#id_line-kind", "goods")
    promoter.fill("#id_line-description", "Aporte de los socios")
    promoter.fill("#id_line-quantity", "1")
    promoter.fill("#id_line-unit_price", "10000")
    promoter.select_option("#id_line-source", "money")
    promoter.get_by_role("button", name="Agregar la línea").click()
    promoter.get_by_text("El plan cumple las reglas de la categoría A.").wait_for()
    promoter.get_by_role("button", name="Presentar el plan").click()
    promoter.get_by_text("Plan presentado: cumple las reglas de su categoría.").wait_for()
    assert promoter.asked == ["¿Quitar esta línea?", "¿Presentar el plan? Ya no se podrá cambiar."]
    assert promoter.locator("#id_line-description").count() == 0  # editing is closed
    promoter.screenshot(path=str(ARTIFACTS / "contest_plan_submitted.png"), full_page=True)
    promoter.context.close()

    # 3. The coordinator closes the reception, scores as the committee, and declares the winner.
    coordinator.goto(f"{live_server.url}/funds/contests/{contest.pk}/")
    coordinator.get_by_role("button", name="Cerrar planes y evaluar").click()
    coordinator.get_by_text("Planes cerrados: empieza la evaluación.").wait_for()
    coordinator.get_by_role("link", name="Pasta de cacao para chocolate de taza").click()
    for criterion in contest.criteria.all():
        coordinator.fill(f"#id_c{criterion.pk}", "85")
    coordinator.get_by_role("button", name="Guardar los puntajes").click()
    coordinator.get_by_text("Puntajes guardados.").wait_for()
    coordinator.goto(f"{live_server.url}/funds/contests/{contest.pk}/")
    coordinator.fill("#id_resolution_number", "RGM N° 015-2026")
    coordinator.get_by_role("button", name="Declarar a los ganadores").click()
    coordinator.get_by_text("Ganadores declarados.").wait_for()

    plan.refresh_from_db()
    assert (plan.status, plan.rank, plan.weighted_score) == ("winner", 1, 85)
    coordinator.get_by_role("link", name="Resultados").click()
    coordinator.get_by_role("heading", name="Resultados por cadena productiva y provincia").wait_for()
    assert "S/ 100,000.00" in coordinator.locator(".list-group-item-secondary").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator.screenshot(path=str(ARTIFACTS / "contest_results_phone.png"), full_page=True)
    coordinator.context.close()
