"""The shape of a parity table: how to exercise each policy action through the page and the API.

Each app keeps its table in ``<app>/tests/parity.py`` as ``CASES = {action: Case(...)}``;
``tests/test_policy_parity.py`` walks them all for every role.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Request = tuple[str, str, dict]  # method, url, data


@dataclass(frozen=True)
class Case:
    """How to exercise one policy action through the page and through the API."""

    setup: Callable[[dict], Any] | None = None  # builds the record (ctx: centres and users)
    page: Callable[[Any], Request] | None = None
    api: Callable[[Any], Request] | None = None
    snapshot: Callable[[Any], Any] | None = None  # what a refused write must leave as it was
    on_object: bool = True  # whether the policy is asked about the record
    not_a_request: str = ""  # why neither page nor API exercises it


def get(url):
    return ("get", url, {})


def post(url, data=None):
    return ("post", url, data or {})


def row(model, *fields):
    """A snapshot of some columns of a record: what a refused write must leave as it was."""
    return lambda obj: tuple(model.objects.filter(pk=obj.pk).values_list(*fields).get())
