"""What the consultations desk holds about a person (Ley 29733): registered in apps.py."""

from clients.privacy import json_value

from .models import Consultation


def personal_data(person) -> list[dict]:
    rows = Consultation.objects.filter(entrepreneur=person).select_related("topic", "centre").order_by("started_at")
    return [
        {
            "date": json_value(c.started_at),
            "centre": c.centre.name,
            "channel": c.get_channel_display(),
            "topic": str(c.topic),
            "question": c.question,
            "answer": c.answer,
            "contact_name": c.contact_name,
            "contact_phone": c.contact_phone,
        }
        for c in rows
    ]


def anonymise(person) -> None:
    """The quick-contact name and phone typed before the person was registered go, here and in the history."""
    consultations = Consultation.objects.filter(entrepreneur=person)
    Consultation.history.filter(id__in=consultations.values("pk")).update(contact_name="", contact_phone="")
    consultations.update(contact_name="", contact_phone="")
