"""The national manager opens the dashboard on a phone from the menu, chooses 1999-2004 and reads the
seed's Cuadro 2; the coordinator of Lima sees Lima only."""

import pytest

from .conftest import log_in, snapshot


def _phone(browser, live_server, username):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="es-PE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.mark.django_db(transaction=True)
def test_the_national_manager_reads_the_seeds_cuadro_2_on_a_phone(browser, live_server, demo_users):
    page = _phone(browser, live_server, "gerente")
    page.locator(".navbar-toggler").click()
    page.get_by_role("link", name="Tablero").click()
    page.get_by_label("Desde").fill("1999-01-01")
    page.get_by_label("Hasta").fill("2004-12-31")
    page.get_by_role("button", name="Mostrar", exact=True).click()
    assert page.locator("[data-total=companies]").inner_text() == "2900"
    assert page.locator("[data-total=protoempresas]").inner_text() == "1626"
    table = page.locator("table[data-table=cuadro2]")
    row = table.locator("tr", has=page.get_by_text("CentroPyME Lima")).filter(has_text="Capacitación")
    assert row.locator("td").all_inner_texts()[-2:] == ["1607", "1099"]
    snapshot(page, "dashboard-gerente-375.png")
    page.context.close()

    page = _phone(browser, live_server, "coordinador")
    page.goto(f"{live_server.url}/monitoring/?date_from=1999-01-01&date_to=2004-12-31")
    assert page.locator("[data-total=companies]").inner_text() == str(1607 + 254 + 92)
    assert page.locator("table[data-table=cuadro2]").get_by_text("CentroPyME Huancayo").count() == 0
    page.context.close()
