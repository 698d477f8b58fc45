"""Core's rows of the page/API parity test (tests/test_policy_parity.py)."""

from django.urls import reverse

from core.tests.parity import Case, get

# --- Core ----------------------------------------------------------------------------------------------

CASES = {
    "home_view": Case(lambda ctx: None, page=lambda _: get(reverse("home")), on_object=False),
    "admin_site": Case(not_a_request="the Django admin: staff flag and model permissions (core/tests/test_roles.py)"),
    "api_docs": Case(not_a_request="a menu entry only: the schema is public to every signed-in user"),
    "centre_view": Case(lambda ctx: ctx["lima"], api=lambda c: get(reverse("centre-detail", args=[c.pk]))),
    "report_request": Case(
        not_a_request="the report kind's own get_object asks the owning app's policy (core/tests/test_reports.py "
        "holds page and API to the same answer for each kind)"
    ),
    "report_list": Case(
        lambda ctx: None,
        page=lambda _: get(reverse("report_list")),
        api=lambda _: get(reverse("report-list")),
        on_object=False,
    ),
    "notification_view": Case(
        lambda ctx: None,
        page=lambda _: get(reverse("notification_list")),
        api=lambda _: get(reverse("notification-list")),
        on_object=False,
    ),
}
