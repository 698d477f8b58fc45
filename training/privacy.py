"""What training holds about a person (Ley 29733): registered in apps.py. Nothing identifying of its own."""

from clients.privacy import json_value

from .models import Enrolment


def personal_data(person) -> list[dict]:
    rows = Enrolment.objects.filter(entrepreneur=person).select_related("offering", "centre").order_by("pk")
    return [
        {
            "course": str(e.offering),
            "centre": e.centre.name,
            "status": e.get_status_display(),
            "entry_score": json_value(e.entry_score),
            "exit_score": json_value(e.exit_score),
            "completed": e.completed,
            "certificate_code": e.certificate_code,
        }
        for e in rows
    ]
