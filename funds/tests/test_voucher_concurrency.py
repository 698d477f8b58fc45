"""Two redemptions of one voucher at the same moment: the row lock lets one through.

Needs PostgreSQL (SQLite has no row locks and serialises every write anyway).
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from clients.tests.factories import CompanyFactory
from core.exceptions import DomainError
from funds.models import Voucher
from funds.services import voucher_redeem
from funds.tests.factories import voucher_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]


def _at_once(*calls):
    """Run the calls in threads released together; each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_a_voucher_redeemed_twice_at_the_same_moment_is_redeemed_once(lima, promoter, coordinator):
    voucher_for(CompanyFactory(centre=lima), "BP-RACE", "300")

    def redeem(user, reference):
        return lambda: voucher_redeem(
            user=user, code="BP-RACE", amount=Decimal("300"), reference=reference, on=datetime.date(2026, 6, 1)
        )

    results, errors = _at_once(
        redeem(promoter, "assistance.fundingline:1"), redeem(coordinator, "training.enrolment:2")
    )

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], DomainError) and "ya fue usado" in str(errors[0])
    voucher = Voucher.objects.get(code="BP-RACE")
    assert voucher.status == Voucher.Status.REDEEMED
    assert voucher.redeemed_for == results[0].redeemed_for
