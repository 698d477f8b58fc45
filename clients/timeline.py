"""The company's timeline: what each app did for a client, in date order.

``clients`` knows no service app. Each app registers a source in its
``AppConfig.ready()``: a function ``(companies, user) -> list[TimelineEvent]`` that
reads its own records for a list of companies in a fixed number of queries, showing
only what that user may see (through the app's own scoped selectors).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TimelineEvent:
    company_id: int
    date: datetime.date
    kind: str  # a short label: "Diagnosis", "Service", "Course", ...
    title: str
    url: str = ""
    icon: str = "circle"


_sources: dict[str, Callable] = {}


def register_timeline_source(key: str, source: Callable) -> None:
    _sources[key] = source


def timeline_for(company, *, user) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for source in _sources.values():
        events.extend(source([company], user))
    return sorted(events, key=lambda e: e.date, reverse=True)


@dataclass(frozen=True)
class CompanyAction:
    """A button on the company's file that another app offers (e.g. "Open a service")."""

    label: str
    url_name: str
    permission: tuple  # (an app's policy, the action the button starts)
    icon: str = "plus-lg"


_actions: dict[str, CompanyAction] = {}


def register_company_action(key: str, action: CompanyAction) -> None:
    _actions[key] = action


def company_actions_for(user, company) -> list[tuple[CompanyAction, str]]:
    from django.urls import reverse

    return [
        (action, f"{reverse(action.url_name)}?company={company.pk}")
        for action in _actions.values()
        if action.permission[0].can(user, action.permission[1])
    ]
