"""Background work of the credit fund, run by Celery beat."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import services


def last_month_end(today: datetime.date) -> datetime.date:
    return today.replace(day=1) - datetime.timedelta(days=1)


@shared_task
def take_arrears_snapshot(month_end: str | None = None) -> int:
    """Keep where every loan stood at the end of a month (by default the month just ended), so the
    history of moving in and out of arrears survives later payments. Writes ``ArrearsSnapshot`` rows;
    idempotent: a second run (a retry, or beat firing twice) rewrites the same rows."""
    day = datetime.date.fromisoformat(month_end) if month_end else last_month_end(timezone.localdate())
    return services.snapshots_record(month_end=day)
