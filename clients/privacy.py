"""A person's personal data across the apps (Peru's Ley 29733 on personal data protection).

``clients`` knows no service app, yet a person's data also sits in their enrolments,
consultations and loans. Each app registers a ``PersonalDataSource`` in its
``AppConfig.ready()``: ``export(person)`` returns JSON-ready rows of what that app holds
about the person, ``anonymise(person)`` removes what identifies them there (names, phones
typed into that app's own rows) and keeps the rest for the statistics. Both are called
by ``clients.services.entrepreneur_export_data`` / ``entrepreneur_anonymise`` after the
clients policy allowed the action.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalDataSource:
    key: str  # the key of its section in the JSON export
    export: Callable  # (person) -> list[dict] of JSON-ready values
    anonymise: Callable | None = None  # (person) -> None; None when the app stores nothing identifying


_sources: dict[str, PersonalDataSource] = {}


def register_personal_data_source(source: PersonalDataSource) -> None:
    _sources[source.key] = source


def personal_data_sources() -> list[PersonalDataSource]:
    return list(_sources.values())


# What anonymisation writes instead of the person's identity; statistics read none of these.
ANONYMOUS_FIRST_NAME = "Anónimo"
IDENTIFYING_FIELDS = ("first_name", "last_name", "dni", "phone", "email", "business_idea")


def anonymous_values(person) -> dict:
    return {
        "first_name": ANONYMOUS_FIRST_NAME,
        "last_name": f"#{person.pk}",
        "dni": None,
        "phone": "",
        "email": "",
        "business_idea": "",
    }


def json_value(value):
    """A model value as JSON: dates as ISO text, decimals as text (no float rounding), the rest as is."""
    import datetime
    from decimal import Decimal

    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
