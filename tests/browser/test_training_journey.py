"""A course from planning to certificates: the coordinator plans it, the front desk enrols, the list is marked."""

import datetime

import pytest
from django.utils import timezone

from clients.tests.factories import EntrepreneurFactory
from core.models import Centre, User
from training.models import Enrolment, Offering

from .conftest import log_in


@pytest.fixture
def two_people(demo_users):
    lima = Centre.objects.get(name="CentroPyME Lima")
    clerk = User.objects.get(username="recepcion")
    return [
        EntrepreneurFactory(centre=lima, first_name="Ana", last_name="Ccahuana Rojas", created_by=clerk),
        EntrepreneurFactory(centre=lima, first_name="Bruno", last_name="Tello Vílchez", created_by=clerk),
    ]


def _as(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_a_course_is_planned_filled_marked_and_one_completes_and_one_does_not(browser, live_server, two_people):
    ana, bruno = two_people
    today = timezone.localdate()

    # The coordinator plans the course, gives it two sessions and opens enrolment.
    coordinator = _as(browser, live_server, "coordinador")
    coordinator.goto(f"{live_server.url}/training/courses/new/")
    coordinator.select_option("#id_module", label="Buenas prácticas de manufactura en panaderías")
    coordinator.select_option("#id_instructor_user", label="Carmen Huamán")
    coordinator.fill("#id_capacity", "2")
    coordinator.fill("#id_price", "120")
    coordinator.fill("#id_subsidy", "60")
    coordinator.get_by_role("button", name="Guardar curso").click()
    coordinator.get_by_text("Ahora agregue sus sesiones").wait_for()
    offering = Offering.objects.latest("id")
    for days in (2, 1):
        coordinator.fill("#id_date", (today - datetime.timedelta(days=days)).isoformat())
        coordinator.fill("#id_start_time", "18:00")
        coordinator.fill("#id_end_time", "21:00")
        coordinator.get_by_role("button", name="Agregar sesión").click()
        coordinator.get_by_text("Sesión agregada.").wait_for()
    coordinator.get_by_role("button", name="Abrir inscripciones").click()
    coordinator.get_by_text("Inscripciones abiertas").first.wait_for()

    # The front desk enrols the two participants.
    desk = _as(browser, live_server, "recepcion")
    desk.goto(f"{live_server.url}/training/courses/{offering.pk}/")
    for person in (ana, bruno):
        desk.select_option("#id_entrepreneur", label=str(person))
        desk.get_by_role("button", name="Inscribir").click()
        desk.get_by_text(f"{person} quedó inscrito(a).").wait_for()
    assert offering.enrolments.filter(status=Enrolment.Status.ENROLLED).count() == 2
    desk.context.close()

    # The coordinator starts the course, marks attendance for the whole list, enters the tests, finishes.
    coordinator.reload()
    coordinator.get_by_role("button", name="Iniciar el curso").click()
    coordinator.get_by_text("El curso ahora está: En curso.").wait_for()
    coordinator.get_by_role("link", name="Asistencia", exact=True).click()
    first, second = offering.sessions.order_by("date")
    coordinator.get_by_label(f"{ana} · {first.date:%d/%m}").check()
    coordinator.get_by_label(f"{ana} · {second.date:%d/%m}").check()
    coordinator.get_by_label(f"{bruno} · {first.date:%d/%m}").check()
    coordinator.get_by_role("button", name="Guardar asistencia").click()
    coordinator.get_by_text("Asistencia guardada.").wait_for()
    coordinator.goto(f"{live_server.url}/training/courses/{offering.pk}/scores/")
    coordinator.get_by_label(f"Prueba de entrada · {ana}").fill("9")
    coordinator.get_by_label(f"Prueba de salida · {ana}").fill("16")
    coordinator.get_by_label(f"Prueba de entrada · {bruno}").fill("8")
    coordinator.get_by_label(f"Prueba de salida · {bruno}").fill("11")
    coordinator.get_by_role("button", name="Guardar notas").click()
    coordinator.get_by_text("Notas guardadas.").wait_for()
    coordinator.get_by_role("button", name="Terminar el curso").click()
    coordinator.get_by_text("El curso ahora está: Terminado.").wait_for()

    ana_row = coordinator.locator(f"[data-participant='{ana}']")
    bruno_row = coordinator.locator(f"[data-participant='{bruno}']")
    assert ana_row.locator("[data-result=completed]").is_visible()
    assert bruno_row.locator("[data-result=not-completed]").is_visible()
    assert "Ganancia: +7.0" in ana_row.inner_text()
    ana_enrolment = offering.enrolments.get(entrepreneur=ana)
    assert ana_enrolment.completed and ana_enrolment.certificate_code
    assert offering.enrolments.get(entrepreneur=bruno).certificate_code is None
    coordinator.context.close()
