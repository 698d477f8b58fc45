"""What each consultant did, read from the apps that employ them.

``consultants`` imports no service app. An app that assigns consultants registers,
in its ``AppConfig.ready()``:

* ``register_track_record(key, annotate)``: ``annotate(queryset) -> queryset`` adds
  to a consultant queryset ``services_done``, ``average_score`` (1-5), ``last_service``
  (a date: the latest end of an execution) and ``open_services``, with subqueries so
  that a page of consultants costs no query per row;
* ``register_work_list(key, items)``: ``items(user, consultant) -> list[WorkItem]``,
  the consultant's work that ``user`` may see, for the consultant's page.

Without a registered app the directory still works: every consultant shows no
service, no score, and no last service.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import DateField, FloatField, IntegerField, QuerySet, Value

# The names a track record provides, and what they are when no app says otherwise.
DEFAULTS = {
    "services_done": Value(0, output_field=IntegerField()),
    "average_score": Value(None, output_field=FloatField()),
    "last_service": Value(None, output_field=DateField()),
    "open_services": Value(0, output_field=IntegerField()),
}

_annotators: dict[str, Callable[[QuerySet], QuerySet]] = {}
_work_lists: dict[str, Callable] = {}


@dataclass(frozen=True)
class WorkItem:
    """One piece of a consultant's work, as their page lists it."""

    code: str
    title: str
    detail: str
    url: str
    date: object = None


def register_track_record(key: str, annotate: Callable[[QuerySet], QuerySet]) -> None:
    _annotators[key] = annotate


def register_work_list(key: str, items: Callable) -> None:
    _work_lists[key] = items


def with_track_record(queryset: QuerySet) -> QuerySet:
    """The queryset with every registered app's annotations, and the defaults for any name none gave."""
    for annotate in _annotators.values():
        queryset = annotate(queryset)
    missing = {name: value for name, value in DEFAULTS.items() if name not in queryset.query.annotations}
    return queryset.annotate(**missing) if missing else queryset


def work_of(user, consultant) -> list[WorkItem]:
    items: list[WorkItem] = []
    for source in _work_lists.values():
        items.extend(source(user, consultant))
    return items
