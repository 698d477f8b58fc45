"""Monitoring's rows of the page/API parity test (tests/test_policy_parity.py)."""

from django.urls import reverse

from core.tests.parity import Case, get

PERIOD = "?date_from=2024-01-01&date_to=2024-12-31"


def _nothing(ctx):
    """The dashboard reads; the parity test needs no record of its own."""
    return None


CASES = {
    "dashboard_view": Case(
        _nothing,
        page=lambda _obj: get(reverse("monitoring:dashboard") + PERIOD),
        api=lambda _obj: get(reverse("monitoring-summary") + PERIOD),
        on_object=False,
    ),
    "dashboard_export": Case(
        _nothing,
        page=lambda _obj: get(reverse("monitoring:dashboard_export", args=["cuadro2"]) + PERIOD + "&format=csv"),
        on_object=False,
    ),
}
