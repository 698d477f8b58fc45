"""Demo data for training: courses at Lima and Huancayo in different statuses, with their lists.

Runs after the client registry's and the directory's demos. Built through the real
services; idempotent: a centre that already has courses gets none.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from clients.models import Entrepreneur
from consultants.models import Consultant
from core.models import Centre, User

from . import reference_data, services
from .models import Module, Offering

# Module, status, days from today to the first session, sessions, seats, price, subsidy, participants.
PLAN = {
    "CentroPyME Lima": [
        ("Buenas prácticas de manufactura en panaderías", "finished", -70, 4, 12, "120", "60", 5),
        ("Elaboración de helados de frutas y chupetes", "open", 14, 3, 15, "90", "30", 3),
        ("Marketing para panaderías", "planned", 45, 3, 20, "80", "0", 0),
    ],
    "CentroPyME Huancayo": [
        ("Mejoramiento y aseguramiento de la calidad de producción de miel", "running", -3, 4, 10, "100", "50", 4),
        ("Actualización en panificación", "open", 21, 4, 12, "100", "40", 2),
    ],
}


def seed(options, stdout) -> None:
    reference_data.load_current()  # the demo centres exist now: link them to the modules they hold
    coordinator = User.objects.filter(username="coordinador").first()
    if coordinator is None:
        return
    for centre_name, courses in PLAN.items():
        centre = Centre.objects.filter(name=centre_name).first()
        if centre is None or Offering.objects.filter(centre=centre).exists():
            continue
        for course in courses:
            _course(centre, coordinator, *course)
    stdout.write(f"training: {Module.objects.count()} modules, {Offering.objects.count()} courses")


def _course(centre, coordinator, module_name, status, start_in, sessions, seats, price, subsidy, people) -> None:
    module = Module.objects.filter(name=module_name).first()
    if module is None:
        return
    consultant = Consultant.objects.filter(status=Consultant.Status.VALIDATED, centres=centre).order_by("id").first()
    fields = {
        "capacity": seats,
        "price": Decimal(price),
        "subsidy": Decimal(subsidy),
        "instructor_consultant": consultant,
        "instructor_user": None if consultant else coordinator,
    }
    offering = services.offering_create(user=coordinator, centre=centre, module=module, fields=fields)
    first = timezone.localdate() + datetime.timedelta(days=start_in)
    for n in range(sessions):
        services.session_add(
            user=coordinator,
            offering=offering,
            date=first + datetime.timedelta(days=2 * n),
            start_time=datetime.time(18, 0),
            end_time=datetime.time(21, 0),
            topic=f"Sesión {n + 1}",
        )
    if status == "planned":
        return
    services.offering_set_status(user=coordinator, offering=offering, status="open")
    participants = Entrepreneur.objects.filter(centre=centre).order_by("id")[:people]
    enrolments = [services.enrolment_create(user=coordinator, offering=offering, entrepreneur=p) for p in participants]
    if status == "open":
        return
    services.offering_set_status(user=coordinator, offering=offering, status="running")
    today = timezone.localdate()
    marks = []
    for i, enrolment in enumerate(enrolments):
        for j, session in enumerate(offering.sessions.filter(date__lte=today)):
            # The last participant misses most classes: the demo shows one who does not complete.
            marks.append((enrolment.pk, session.pk, not (i == len(enrolments) - 1 and j > 0)))
    services.attendance_record(user=coordinator, offering=offering, marks=marks)
    services.scores_record(
        user=coordinator,
        offering=offering,
        scores={
            e.pk: (Decimal(8 + i), Decimal(14 + i) if status == "finished" else None) for i, e in enumerate(enrolments)
        },
    )
    if status == "finished":
        services.offering_set_status(user=coordinator, offering=offering, status="finished")
