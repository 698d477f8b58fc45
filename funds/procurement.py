"""How long a purchase has taken and whether it is at risk: pure reads of a purchase and its contest's limits."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FLAGS = {
    "": "",
    "at_risk": _("At risk"),
    "late": _("Late"),
    "over_limit": _("Over the two-year limit"),
}


@dataclass(frozen=True)
class PurchaseState:
    elapsed_days: int
    planned_days: int
    flag: str  # "", "at_risk", "late", "over_limit"

    @property
    def label(self):
        return FLAGS[self.flag]

    @property
    def css(self) -> str:
        return {"": "success", "at_risk": "warning", "late": "danger", "over_limit": "danger"}[self.flag]


def purchase_state(purchase, today: datetime.date) -> PurchaseState:
    """Days from the requirement to the delivery (or to the situation date, or to today)."""
    end = purchase.delivered_on or purchase.situation_on or today
    elapsed = (end - purchase.requirement_on).days
    contest = purchase.plan.contest
    flag = ""
    if elapsed > contest.execution_limit_days:
        flag = "over_limit"
    elif elapsed > purchase.planned_days:
        flag = "late"
    elif purchase.delivered_on is None and elapsed * 100 >= purchase.planned_days * contest.risk_share:
        flag = "at_risk"
    return PurchaseState(elapsed_days=elapsed, planned_days=purchase.planned_days, flag=flag)
