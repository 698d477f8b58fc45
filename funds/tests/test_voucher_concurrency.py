"""Two redemptions of one voucher at the same moment: the row lock lets one through.

Needs PostgreSQL (SQLite has no row locks and serialises every write anyway).
"""

import datetime
from decimal import Decimal

import pytest

from clients.tests.factories import CompanyFactory
from core.exceptions import DomainError
from core.tests.concurrency import POSTGRESQL_ONLY, at_once
from funds.models import Voucher
from funds.services import voucher_redeem
from funds.tests.factories import voucher_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


def test_a_voucher_redeemed_twice_at_the_same_moment_is_redeemed_once(lima, promoter, coordinator):
    voucher_for(CompanyFactory(centre=lima), "BP-RACE", "300")

    def redeem(user, reference):
        return lambda: voucher_redeem(
            user=user, code="BP-RACE", amount=Decimal("300"), reference=reference, on=datetime.date(2026, 6, 1)
        )

    results, errors = at_once(redeem(promoter, "assistance.fundingline:1"), redeem(coordinator, "training.enrolment:2"))

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], DomainError) and "ya fue usado" in str(errors[0])
    voucher = Voucher.objects.get(code="BP-RACE")
    assert voucher.status == Voucher.Status.REDEEMED
    assert voucher.redeemed_for == results[0].redeemed_for
