"""The front desk logs three consultations in a row with the keyboard alone (type, Tab, Enter)."""
# Predicates are passed as functions: a string would be eval'ed in the page, which the Content-Security-Policy refuses.

import time

from clients.models import Company
from consultations.models import Consultation
from core.models import Centre, User

from .conftest import log_in


def _focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _saved(page, count):
    page.locator(".alert-success", has_text="Consulta guardada").first.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_client_search'")
    assert Consultation.objects.filter(recorded_by__username="recepcion").count() == count


def _pick_client(page, text):
    """Search as you type, Tab to the first match, Enter to choose it: focus moves on to the topic."""
    page.keyboard.type(text)
    page.locator("#client-results button").first.wait_for()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("#client-chosen").wait_for(state="visible")
    assert _focused(page) == "id_topic"


def test_the_desk_logs_three_consultations_with_the_keyboard_alone(desktop, live_server, demo_users):
    page = desktop
    lima = Centre.objects.get(name="CentroPyME Lima")
    before = Consultation.objects.filter(recorded_by__username="recepcion").count()
    companies = list(Company.objects.filter(centre=lima).order_by("id")[:2])
    log_in(page, live_server, "recepcion")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/consultations/new/")
    started = time.monotonic()

    # 1. A known company, by phone.
    assert _focused(page) == "id_client_search"
    _pick_client(page, companies[0].legal_name)
    page.keyboard.press("Tab")  # channel
    assert _focused(page) == "id_channel"
    page.keyboard.press("ArrowDown")  # Visita -> Teléfono
    assert page.input_value("#id_channel") == "phone"
    page.keyboard.press("Tab")  # subsector, filled from the company
    page.keyboard.press("Tab")
    assert _focused(page) == "id_question"
    page.keyboard.type("¿Dónde compro frascos de vidrio para mermelada?")
    page.keyboard.press("Tab")
    page.keyboard.type("Envases Andinos, en el directorio de proveedores.")
    page.keyboard.press("Enter")
    _saved(page, before + 1)

    # 2. A quick new contact: the channel is remembered, the timer runs.
    assert page.input_value("#id_channel") == "phone"
    page.wait_for_function("() => document.getElementById('desk-timer').textContent !== '0:00'")
    page.keyboard.press("Tab")
    assert _focused(page) == "id_contact_name"
    page.keyboard.type("Julia Mamani")
    page.keyboard.press("Tab")
    page.keyboard.type("987654321")
    for _field in ("district", "topic", "channel", "subsector", "question"):
        page.keyboard.press("Tab")
    assert _focused(page) == "id_question"
    page.keyboard.type("¿Qué necesito para el registro sanitario?")
    page.keyboard.press("Enter")
    _saved(page, before + 2)

    # 3. Another known company; Enter from the answer saves it.
    _pick_client(page, companies[1].legal_name)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("¿Hay cursos de costos?")
    page.keyboard.press("Tab")
    page.keyboard.type("Sí, el próximo mes.")
    page.keyboard.press("Enter")
    _saved(page, before + 3)

    elapsed = time.monotonic() - started
    assert elapsed < 90, f"three consultations took {elapsed:.0f} s"

    logged = list(Consultation.objects.filter(recorded_by=User.objects.get(username="recepcion")).order_by("-id")[:3])[
        ::-1
    ]
    assert [c.channel for c in logged] == ["phone", "phone", "phone"]
    assert [c.company for c in logged] == [companies[0], None, companies[1]]
    assert logged[1].contact_name == "Julia Mamani" and logged[1].contact_phone == "987654321"
    assert all(c.ended_at >= c.started_at for c in logged)
