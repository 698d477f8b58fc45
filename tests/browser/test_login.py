import pytest

from .conftest import log_in

DEMO_ROLES = [
    ("promotor", "Promotor"),
    ("consultor", "Consultor"),
    ("coordinador", "Coordinador de centro"),
    ("gerente", "Gerente nacional"),
    ("admin", "Administrador"),
    ("credito", "Operador de crédito"),
    ("recepcion", "Recepción"),
]


@pytest.mark.parametrize(("username", "role_label"), DEMO_ROLES)
def test_each_demo_role_logs_in_on_a_phone_and_sees_its_home_in_spanish(
    phone, live_server, demo_users, username, role_label
):
    log_in(phone, live_server, username)
    phone.wait_for_url(f"{live_server.url}/")
    assert phone.locator("html").get_attribute("lang") == "es"
    assert phone.get_by_role("heading", name="Mi trabajo").is_visible()
    assert role_label in phone.locator("main").inner_text()
    # The menu collapses on a phone and opens with its button.
    phone.get_by_role("button", name="Mostrar menú").click()
    assert phone.get_by_role("link", name="Mi trabajo").is_visible()


def test_a_wrong_password_shows_a_spanish_error(phone, live_server, demo_users):
    log_in(phone, live_server, "promotor", password="equivocada")
    error = phone.locator(".alert-danger, .invalid-feedback, .errorlist").first
    assert "introduzca un nombre de usuario y clave correctos" in error.inner_text()
    assert phone.url.startswith(f"{live_server.url}/accounts/login/")


def test_the_language_switcher_turns_the_pages_to_english(desktop, live_server, demo_users):
    log_in(desktop, live_server, "coordinador")
    desktop.wait_for_url(f"{live_server.url}/")
    desktop.get_by_label("Idioma").select_option("en")
    desktop.get_by_role("button", name="Cambiar").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_role("heading", name="My work").is_visible()
