"""The winning plans' purchases: requirement -> call(s), void or not -> award -> delivery; annulment restarts."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.money import to_money

from ..models import BusinessPlan, Purchase, PurchaseStep
from ..permissions import policy

Kind = PurchaseStep.Kind
Stage = Purchase.Stage


@transaction.atomic
def purchase_create(
    *,
    user,
    plan: BusinessPlan,
    description: str,
    amount: Decimal,
    requirement_on: datetime.date,
    planned_days: int | None = None,
    situation_on: datetime.date | None = None,
) -> Purchase:
    """Record the requirement of a purchase of a winning plan."""
    policy.check(user, "purchase_record", plan)
    if plan.status != BusinessPlan.Status.WINNER:
        raise DomainError(_("Only the winning plans' purchases are followed."))
    if not (description or "").strip():
        raise DomainError(_("Say what is bought."), field="description")
    amount = to_money(amount)
    if amount <= 0:
        raise DomainError(_("The amount must be greater than zero."), field="amount")
    planned_days = planned_days or plan.execution_days
    if planned_days < 1:
        raise DomainError(_("The planned days are at least one."), field="planned_days")
    if situation_on and situation_on < requirement_on:
        raise DomainError(_("The situation date is after the requirement."), field="situation_on")
    return Purchase.objects.create(
        plan=plan,
        description=description.strip(),
        amount=amount,
        requirement_on=requirement_on,
        planned_days=planned_days,
        situation_on=situation_on,
    )


def _last_of_round(purchase: Purchase, round_: int) -> PurchaseStep | None:
    return purchase.steps.filter(round=round_).order_by("-date", "-id").first()


# Which step may follow which: the stage the purchase is in and the last step of its round.
def _allowed(stage: str, last: str | None) -> set[str]:
    if stage == Stage.REQUIREMENT:
        return {Kind.CALL}
    if stage == Stage.CALL:
        return {Kind.CALL} if last == Kind.VOID else {Kind.VOID, Kind.AWARD, Kind.ANNULMENT}
    if stage == Stage.AWARDED:
        return {Kind.CONTRACT, Kind.EXTENSION, Kind.DELIVERY, Kind.ANNULMENT}
    return set()


@transaction.atomic
def purchase_step_record(
    *, user, purchase: Purchase, kind: str, date: datetime.date, days: int | None = None, note: str = ""
) -> PurchaseStep:
    """Record a dated step. A void call waits for the next call; an annulment sends the purchase back
    to its requirement (a new round); a delivery closes it."""
    policy.check(user, "purchase_record", purchase.plan)
    purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
    round_ = (purchase.steps.order_by("-round").values_list("round", flat=True).first()) or 1
    last = _last_of_round(purchase, round_)
    if last is not None and last.kind == Kind.ANNULMENT:
        round_, last = round_ + 1, None  # annulled: it starts again from the requirement, in a new round
    if kind not in Kind.values:
        raise DomainError(_("Unknown step."), field="kind")
    if kind not in _allowed(purchase.stage, last.kind if last else None):
        raise DomainError(
            _("%(step)s cannot follow the purchase's present stage (%(stage)s).")
            % {"step": Kind(kind).label, "stage": purchase.get_stage_display()},
            field="kind",
        )
    latest = purchase.steps.order_by("-date").values_list("date", flat=True).first() or purchase.requirement_on
    if date < latest:
        raise DomainError(
            _("The step's date is before the last one recorded (%(date)s).") % {"date": f"{latest:%d/%m/%Y}"},
            field="date",
        )
    if kind == Kind.EXTENSION and not days:
        raise DomainError(_("Say how many days the term is extended."), field="days")
    fields = ["stage", "updated_at"]
    if kind == Kind.CALL:
        purchase.stage = Stage.CALL
    elif kind == Kind.AWARD:
        purchase.stage = Stage.AWARDED
    elif kind == Kind.DELIVERY:
        purchase.stage = Stage.DELIVERED
        purchase.delivered_on = date
        fields.append("delivered_on")
    elif kind == Kind.ANNULMENT:
        purchase.stage = Stage.REQUIREMENT
    step = PurchaseStep.objects.create(
        purchase=purchase, kind=kind, date=date, days=days if kind == Kind.EXTENSION else None,
        note=(note or "").strip(), round=round_,
    )  # fmt: skip
    purchase.save(update_fields=fields)
    return step


@transaction.atomic
def purchase_situation_set(*, user, purchase: Purchase, situation_on: datetime.date | None) -> Purchase:
    """Follow a purchase up to a date (a report's cut-off), or back to today with None."""
    policy.check(user, "purchase_record", purchase.plan)
    if situation_on and situation_on < purchase.requirement_on:
        raise DomainError(_("The situation date is after the requirement."), field="situation_on")
    purchase.situation_on = situation_on
    purchase.save(update_fields=["situation_on", "updated_at"])
    return purchase
