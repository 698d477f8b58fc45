"""The dashboard as the monthly PDF report, through core's report jobs (``core.reports``).

The report's record is the dashboard itself (object id ``DASHBOARD``); the month and the centre are
the job's parameters (``param-month``, ``param-centre`` on the page's form), cleaned by
``monthly_parameters`` and checked against the user by ``monthly_report`` as the page checks them,
so a job cannot show more than the page would.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import visible_centres
from core.exceptions import DomainError

from . import selectors, tables
from .permissions import policy

FIRST_YEAR = 1990


@dataclass(frozen=True)
class MonthlyReport:
    user: object
    month: datetime.date  # its first day
    centre: object  # None: every centre the user sees

    @property
    def last_day(self) -> datetime.date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])


# The one object id of the monthly report. Jobs queued before the month and centre became parameters
# named them in the id (YYYYMM * 10000 + centre); they are refused with words that say what to do.
DASHBOARD = 0


@dataclass(frozen=True)
class Dashboard:
    """The managers' dashboard, as one user may read it."""

    user: object


def dashboard(user, object_id: int | None) -> Dashboard:
    """The report's record: the dashboard, if the policy lets the user read it (403 otherwise)."""
    policy.check(user, "dashboard_view")
    if object_id not in (None, DASHBOARD):
        raise DomainError(
            _("This monthly report was asked for in an older form: ask for it again from the dashboard."),
            field="object_id",
        )
    return Dashboard(user)


def monthly_parameters(parameters: dict) -> dict:
    """The month (``YYYY-MM``, not one still to come) and the centre (an id; empty: every centre)."""
    raw = str(parameters.get("month") or "").strip()
    try:
        month = datetime.datetime.strptime(raw, "%Y-%m").date()  # noqa: DTZ007 (a calendar month, no time)
    except ValueError:
        month = None
    if month is None or month.year < FIRST_YEAR:
        raise DomainError(_("Choose the month of the report (YYYY-MM)."), field="month")
    if month > timezone.localdate().replace(day=1):
        raise DomainError(_("The monthly report cannot be of a month still to come."), field="month")
    cleaned = {"month": f"{month:%Y-%m}"}
    centre = str(parameters.get("centre") or "").strip()
    if centre:
        if not centre.isdigit():
            raise DomainError(_("Unknown centre."), field="centre")
        cleaned["centre"] = int(centre)
    return cleaned


def monthly_report(user, record: Dashboard, parameters: dict) -> MonthlyReport:
    """The month and centre a job names, for this user: a centre they do not see is a 404, as on the
    page (without one: every centre the user sees, a coordinator's own)."""
    if "month" not in parameters:
        raise DomainError(_("Choose the month of the report (YYYY-MM)."), field="month")
    month = datetime.date.fromisoformat(f"{parameters['month']}-01")
    centre = None
    if parameters.get("centre"):
        centre = visible_centres(user).filter(pk=parameters["centre"]).first()
        if centre is None:
            raise Http404("no such centre")
    return MonthlyReport(user, month, centre)


def context(report: MonthlyReport, parameters: dict) -> dict:
    data = selectors.dashboard(report.user, report.month, report.last_day, report.centre)
    return {
        "report": report,
        "data": data,
        "panels": tables.build(data, (report.month, report.last_day), report.centre),
    }


def filename(report: MonthlyReport) -> str:
    centre = f"-{report.centre.pk}" if report.centre is not None else ""
    return f"tablero-{report.month:%Y-%m}{centre}.pdf"
