"""The dashboard as the monthly PDF report, through core's report jobs (``core.reports``).

A report job names one record by an integer id; the monthly report's "record" is a month and a
centre, encoded as ``YYYYMM * 10000 + centre id`` (centre 0: every centre the user sees). Finding
it checks the policy and the centre as the page does, so a job cannot show more than the page would.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.http import Http404

from core.access import visible_centres

from . import selectors, tables
from .permissions import policy


@dataclass(frozen=True)
class MonthlyReport:
    user: object
    month: datetime.date  # its first day
    centre: object  # None: every centre the user sees

    @property
    def last_day(self) -> datetime.date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])


def report_id(month: datetime.date, centre=None) -> int:
    return (month.year * 100 + month.month) * 10000 + (centre.pk if centre is not None else 0)


def monthly_report(user, object_id: int) -> MonthlyReport:
    """The month and centre a job names, for this user: 404 for a centre they do not see, 403 for a role
    the policy refuses."""
    policy.check(user, "dashboard_view")
    year_month, centre_id = divmod(int(object_id), 10000)
    year, month = divmod(year_month, 100)
    if not (1 <= month <= 12 and 1990 <= year <= 2100):
        raise Http404("no such month")
    centre = None
    if centre_id:  # without one: every centre the user sees (a coordinator's own), as on the page
        centre = visible_centres(user).filter(pk=centre_id).first()
        if centre is None:
            raise Http404("no such centre")
    return MonthlyReport(user, datetime.date(year, month, 1), centre)


def context(report: MonthlyReport) -> dict:
    data = selectors.dashboard(report.user, report.month, report.last_day, report.centre)
    return {
        "report": report,
        "data": data,
        "panels": tables.build(data, (report.month, report.last_day), report.centre),
    }


def filename(report: MonthlyReport) -> str:
    centre = f"-{report.centre.pk}" if report.centre is not None else ""
    return f"tablero-{report.month:%Y-%m}{centre}.pdf"
