import datetime
from decimal import Decimal

import pytest


@pytest.fixture
def purchase(lima, coordinator, promoter, consultant):
    """A winning plan's purchase: required on 5 Jan 2026 with 100 planned days (delivery due 15 Apr)."""
    from funds import services
    from funds.tests.test_contest_flow import _evaluated

    contest, (plan,) = _evaluated(lima, coordinator, promoter, consultant, "500000", [("100000", 70)])
    services.winners_choose(user=coordinator, contest=contest)
    plan.refresh_from_db()
    return services.purchase_create(
        user=coordinator, plan=plan, description="Tostadora", amount=Decimal("30000"),
        requirement_on=datetime.date(2026, 1, 5), planned_days=100,
    )  # fmt: skip
