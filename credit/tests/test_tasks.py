"""The monthly arrears snapshot: scheduled, right as of the month's end, and idempotent."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from credit import services
from credit.models import ArrearsSnapshot
from credit.tasks import last_month_end, take_arrears_snapshot
from credit.tests.factories import disbursed_loan

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_snapshot_is_scheduled_monthly_in_celery_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["credit-arrears-snapshot"]
    assert entry["task"] == "credit.tasks.take_arrears_snapshot"
    assert entry["schedule"].day_of_month == {1}


def test_by_default_the_snapshot_is_of_the_month_just_ended():
    assert last_month_end(D(2025, 3, 1)) == D(2025, 2, 28)
    assert last_month_end(D(2025, 1, 15)) == D(2024, 12, 31)


def test_running_the_snapshot_twice_keeps_one_row_per_loan_with_the_buckets_as_of_the_month_end(
    product, credit_officer
):
    on_time = disbursed_loan(product, credit_officer, on=D(2024, 2, 1))
    late = disbursed_loan(product, credit_officer, on=D(2024, 2, 1))
    services.repayment_post(user=credit_officer, loan=on_time, amount=Decimal("187.67"), date=D(2024, 3, 1),
                            idempotency_key="k1")  # fmt: skip
    assert take_arrears_snapshot.delay("2024-03-31").get() == 2
    # A payment made later does not change what the end of March was.
    services.repayment_post(user=credit_officer, loan=late, amount=Decimal("187.67"), date=D(2024, 4, 2),
                            idempotency_key="k2")  # fmt: skip
    assert take_arrears_snapshot.delay("2024-03-31").get() == 2
    rows = {s.loan_id: s for s in ArrearsSnapshot.objects.filter(month=D(2024, 3, 31))}
    assert ArrearsSnapshot.objects.count() == 2
    assert (rows[on_time.pk].days_late, rows[on_time.pk].bucket) == (0, "0")
    assert (rows[late.pk].days_late, rows[late.pk].bucket) == (30, "1-30")
    assert rows[late.pk].outstanding_principal == Decimal("1000")


def test_only_the_administrator_takes_a_snapshot_by_hand(credit_officer, administrator, product):
    from core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        services.snapshots_take(user=credit_officer, month_end=D(2024, 3, 31))
    assert services.snapshots_take(user=administrator, month_end=D(2024, 3, 31)) == 0
