"""The technical-economic proposal: improvement plan and budget. All service money is computed here."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import ProblemNode
from core.exceptions import DomainError
from core.money import CENT, ZERO, to_money
from funds.services import voucher_redeem, voucher_release

from ..models import BudgetLine, FundingLine, ImprovementItem, OwnerDecision, Service, Stage
from ..permissions import policy
from .workflow import ensure_stage, voucher_reference
from .workflow import lock as _lock


def service_recompute_totals(service: Service) -> Service:
    """Total cost, funding, owner's share and budgeted hours, from the lines. The one place that adds money."""
    costs = service.budget_lines.aggregate(total=Sum("amount"))["total"] or ZERO
    hours = service.budget_lines.filter(kind=BudgetLine.Kind.FEES).aggregate(h=Sum("quantity"))["h"] or ZERO
    funding = service.funding_lines.aggregate(total=Sum("amount"))["total"] or ZERO
    if funding > costs:
        raise DomainError(
            _("Subsidies and co-financing (S/ %(funding)s) cannot exceed the total cost (S/ %(cost)s).")
            % {"funding": f"{funding:,.2f}", "cost": f"{costs:,.2f}"},
            field="amount",
        )
    service.total_cost = to_money(costs)
    service.total_funding = to_money(funding)
    service.owner_share = to_money(costs - funding)
    service.budgeted_hours = hours
    service.save(update_fields=["total_cost", "total_funding", "owner_share", "budgeted_hours", "updated_at"])
    return service


def _reset_decisions(service: Service) -> None:
    """A changed budget needs the owner and the coordinator to agree again."""
    if service.owner_decision != OwnerDecision.PENDING or service.price_approved_at:
        service.owner_decision = OwnerDecision.PENDING
        service.owner_decision_on = None
        service.price_approved_by = None
        service.price_approved_at = None
        service.save(
            update_fields=[
                "owner_decision",
                "owner_decision_on",
                "price_approved_by",
                "price_approved_at",
                "updated_at",
            ]
        )


@transaction.atomic
def improvement_add(
    *,
    user,
    service: Service,
    problem: str = "",
    improvement: str,
    expected_result: str,
    node: ProblemNode | None = None,
) -> ImprovementItem:
    """Add a line to the improvement plan; from a problem-tree node, its text is the problem."""
    policy.check(user, "proposal_edit", service)
    service = _lock(service)
    ensure_stage(service, Stage.PROPOSAL)
    if node is not None:
        if service.diagnosis_id is None or node.diagnosis_id != service.diagnosis_id:
            raise DomainError(_("That problem is not in this service's diagnosis."), field="problem_node")
        problem = problem or node.text
    if not (problem or "").strip() or not (improvement or "").strip() or not (expected_result or "").strip():
        raise DomainError(_("Write the problem, the improvement and the expected result."))
    position = service.improvements.count()
    return ImprovementItem.objects.create(
        service=service,
        problem_node=node,
        problem=problem.strip(),
        improvement=improvement.strip(),
        expected_result=expected_result.strip(),
        position=position,
    )


@transaction.atomic
def improvement_delete(*, user, item: ImprovementItem) -> None:
    policy.check(user, "proposal_edit", item.service)
    ensure_stage(_lock(item.service), Stage.PROPOSAL)
    item.delete()


@transaction.atomic
def budget_line_add(
    *, user, service: Service, kind: str, description: str, quantity: Decimal, unit_cost: Decimal | None = None
) -> BudgetLine:
    """Add a cost; consultant fees are hours x fee. The totals follow.

    Without a unit cost, a fees line takes the hourly fee of the service's consultant
    (the first assigned one with a fee); any other line needs its unit cost.
    """
    policy.check(user, "proposal_edit", service)
    if kind not in BudgetLine.Kind.values:
        raise DomainError(_("Unknown kind of cost."), field="kind")
    service = _lock(service)
    ensure_stage(service, Stage.PROPOSAL)
    # Quantities are kept to the hundredth (the column's precision): round before checking and multiplying,
    # so that 0.001 is refused here rather than by the database, and the amount matches what is stored.
    quantity = Decimal(quantity).quantize(CENT, rounding=ROUND_HALF_UP)
    if unit_cost is None:
        unit_cost = _consultant_fee(service) if kind == BudgetLine.Kind.FEES else None
        if unit_cost is None:
            raise DomainError(_("Give the unit cost."), field="unit_cost")
    unit_cost = Decimal(unit_cost)
    if quantity <= 0:
        raise DomainError(_("The quantity must be greater than zero."), field="quantity")
    if unit_cost < 0:
        raise DomainError(_("The unit cost cannot be negative."), field="unit_cost")
    # Round the unit cost first, so that the line reads true: quantity x the unit cost shown = amount.
    unit_cost = to_money(unit_cost)
    line = BudgetLine.objects.create(
        service=service,
        kind=kind,
        description=(description or "").strip() or str(BudgetLine.Kind(kind).label),
        quantity=quantity,
        unit_cost=unit_cost,
        amount=to_money(quantity * unit_cost),
    )
    service_recompute_totals(service)
    _reset_decisions(service)
    return line


def _consultant_fee(service: Service) -> Decimal | None:
    """The hourly fee of the service's consultant: what a fees line costs by default."""
    fees = [c.hourly_fee for c in service.consultants.order_by("pk") if c.hourly_fee]
    return fees[0] if fees else None


@transaction.atomic
def budget_line_delete(*, user, line: BudgetLine) -> None:
    _money_line_delete(user=user, line=line)


def _money_line_delete(*, user, line: BudgetLine | FundingLine) -> None:
    """Delete a cost or a funding line: the totals follow and the owner and coordinator must agree again."""
    policy.check(user, "proposal_edit", line.service)
    service = _lock(line.service)
    ensure_stage(service, Stage.PROPOSAL)
    if isinstance(line, FundingLine) and line.kind == FundingLine.Kind.VOUCHER and line.voucher_released_at is None:
        voucher_release(user=user, code=line.voucher_code, reference=voucher_reference(line))
    line.delete()
    service_recompute_totals(service)
    _reset_decisions(service)


@transaction.atomic
def funding_line_add(
    *, user, service: Service, kind: str, amount: Decimal, description: str = "", voucher_code: str = ""
) -> FundingLine:
    """Add a subsidy or a voucher. It may not exceed what is left to pay of the cost."""
    policy.check(user, "proposal_edit", service)
    if kind not in FundingLine.Kind.values:
        raise DomainError(_("Unknown kind of funding."), field="kind")
    service = _lock(service)
    ensure_stage(service, Stage.PROPOSAL)
    amount = to_money(amount)
    if amount <= 0:
        raise DomainError(_("The amount must be greater than zero."), field="amount")
    voucher_code = (voucher_code or "").strip().upper()
    if kind == FundingLine.Kind.VOUCHER and not voucher_code:
        raise DomainError(_("A BonoPyME voucher needs its code."), field="voucher_code")
    remaining = service.total_cost - service.total_funding
    if amount > remaining:
        raise DomainError(
            _("This amount (S/ %(amount)s) is larger than what is left to pay of the cost (S/ %(remaining)s).")
            % {"amount": f"{amount:,.2f}", "remaining": f"{remaining:,.2f}"},
            field="amount",
        )
    try:
        with transaction.atomic():
            line = FundingLine.objects.create(
                service=service,
                kind=kind,
                amount=amount,
                description=(description or "").strip(),
                voucher_code=voucher_code if kind == FundingLine.Kind.VOUCHER else "",
            )
    except IntegrityError as exc:
        raise DomainError(
            _("The voucher %(code)s was already used.") % {"code": voucher_code}, field="voucher_code"
        ) from exc
    if kind == FundingLine.Kind.VOUCHER:
        # funds keeps the vouchers: it refuses an unknown, spent, expired or someone else's code,
        # or more than the voucher is worth, with the voucher's row locked against a double redemption.
        voucher_redeem(
            user=user,
            code=voucher_code,
            amount=amount,
            cost=remaining,
            reference=voucher_reference(line),
            company=service.company,
        )
    service_recompute_totals(service)
    _reset_decisions(service)
    return line


@transaction.atomic
def funding_line_delete(*, user, line: FundingLine) -> None:
    _money_line_delete(user=user, line=line)


@transaction.atomic
def proposal_record_owner_decision(*, user, service: Service, accepted: bool, on=None) -> Service:
    """The owner accepts or rejects the proposal, on a date."""
    policy.check(user, "owner_decision_record", service)
    service = _lock(service)
    ensure_stage(service, Stage.PROPOSAL)
    if accepted and not service.budget_lines.exists():
        raise DomainError(_("The proposal has no budget yet."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="on")
    service.owner_decision = OwnerDecision.ACCEPTED if accepted else OwnerDecision.REJECTED
    service.owner_decision_on = on
    service.save(update_fields=["owner_decision", "owner_decision_on", "updated_at"])
    return service


@transaction.atomic
def proposal_approve_price(*, user, service: Service) -> Service:
    """The coordinator approves the price, following the centre's cost structure."""
    policy.check(user, "price_approve", service)
    service = _lock(service)
    ensure_stage(service, Stage.PROPOSAL)
    if not service.budget_lines.exists():
        raise DomainError(_("The proposal has no budget yet."))
    service.price_approved_by = user
    service.price_approved_at = timezone.now()
    service.save(update_fields=["price_approved_by", "price_approved_at", "updated_at"])
    return service
