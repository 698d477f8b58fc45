"""Contests, AEOs, business plans and their evaluation: from the call to the winners."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from clients.models import UitValue
from core.access import visible_centres
from core.exceptions import DomainError
from core.money import ZERO, to_money
from core.uploads import EVIDENCE, check_new_upload

from .. import eligibility
from ..models import (
    AEO,
    AEOMember,
    BusinessPlan,
    Category,
    Contest,
    EvaluationCriterion,
    InvestmentLine,
    Score,
)
from ..permissions import policy
from ..reference_data import CATEGORIES, CRITERIA

HUNDRED = Decimal(100)


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _ensure_centre(user, centre_id: int, field: str = "centre") -> None:
    if not visible_centres(user).filter(pk=centre_id).exists():
        raise DomainError(_("You do not work with that centre."), field=field)


# --- AEO ---------------------------------------------------------------------------------------

AEO_FIELDS = (
    "kind",
    "name",
    "ruc",
    "company",
    "founded_on",
    "annual_sales",
    "district",
    "minutes",
    "minutes_certified_by",
)


def _clean_aeo(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in AEO_FIELDS}
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            raise DomainError(_("The AEO needs a name."), field="name")
    ruc = (data.get("ruc") or "").strip()
    if "ruc" in data:
        data["ruc"] = ruc
    if data.get("kind") == AEO.Kind.LEGAL and not ruc:
        raise DomainError(_("A legal person needs its RUC."), field="ruc")
    if ruc and (len(ruc) != 11 or not ruc.isdigit()):
        raise DomainError(_("A RUC has 11 digits."), field="ruc")
    if data.get("founded_on") and data["founded_on"] > timezone.localdate():
        raise DomainError(_("The date of constitution cannot be in the future."), field="founded_on")
    if data.get("annual_sales") is not None:
        data["annual_sales"] = to_money(data["annual_sales"])
    if data.get("minutes"):
        # The certified acta is a scan or a photo: the same types and size as the forms accept.
        check_new_upload(data["minutes"], kinds=EVIDENCE, field="minutes")
    return data


@transaction.atomic
def aeo_create(*, user, centre, **fields) -> AEO:
    """Register an organised economic agent: a group of natural persons or a legal person."""
    policy.check(user, "aeo_edit")
    _ensure_centre(user, centre.pk)
    data = _clean_aeo(fields)
    if not data.get("kind"):
        raise DomainError(_("Say whether the AEO is a group of natural persons or a legal person."), field="kind")
    return AEO.objects.create(centre=centre, **data)


@transaction.atomic
def aeo_update(*, user, aeo: AEO, **fields) -> AEO:
    policy.check(user, "aeo_edit", aeo)
    aeo = _lock(aeo)
    data = _clean_aeo({"kind": aeo.kind, "ruc": aeo.ruc, **fields})
    for name, value in data.items():
        setattr(aeo, name, value)
    aeo.save()
    return aeo


@transaction.atomic
def aeo_member_add(*, user, aeo: AEO, dni: str, full_name: str = "", board_role: str = "member", entrepreneur=None):
    """Add a member with their DNI; a person the centre already registered brings their name."""
    policy.check(user, "aeo_edit", aeo)
    aeo = _lock(aeo)
    dni = (dni or (entrepreneur.dni if entrepreneur else "") or "").strip()
    if len(dni) != 8 or not dni.isdigit():
        raise DomainError(_("A DNI has 8 digits."), field="dni")
    full_name = (full_name or "").strip() or (
        f"{entrepreneur.first_name} {entrepreneur.last_name}" if entrepreneur else ""
    )
    if not full_name:
        raise DomainError(_("Write the member's name."), field="full_name")
    if board_role not in AEOMember.BoardRole.values:
        raise DomainError(_("Unknown board role."), field="board_role")
    if aeo.members.filter(dni=dni).exists():
        raise DomainError(_("A member with DNI %(dni)s is already in this AEO.") % {"dni": dni}, field="dni")
    if board_role != AEOMember.BoardRole.MEMBER and aeo.members.filter(board_role=board_role).exists():
        raise DomainError(_("The board already has someone in that role."), field="board_role")
    return AEOMember.objects.create(
        aeo=aeo, dni=dni, full_name=full_name, board_role=board_role, entrepreneur=entrepreneur
    )


@transaction.atomic
def aeo_member_remove(*, user, member: AEOMember) -> None:
    policy.check(user, "aeo_edit", member.aeo)
    member.delete()


# --- Contest -----------------------------------------------------------------------------------


@transaction.atomic
def contest_create(
    *,
    user,
    centre,
    name: str,
    owner: str,
    year: int,
    budget: Decimal,
    call_on: datetime.date,
    submissions_until: datetime.date,
    evaluation_until: datetime.date,
    results_on: datetime.date,
    uit_value: Decimal | None = None,
    chains=(),
    zones: str = "",
    committee=(),
    execution_limit_days: int = 730,
) -> Contest:
    """Prepare a contest; it starts with the seed's categories A / B / C and default criteria, all editable."""
    policy.check(user, "contest_manage")
    _ensure_centre(user, centre.pk)
    if not (name or "").strip():
        raise DomainError(_("The contest needs a name."), field="name")
    budget = to_money(budget)
    if budget <= 0:
        raise DomainError(_("The budget must be greater than zero."), field="budget")
    if not (call_on <= submissions_until <= evaluation_until <= results_on):
        raise DomainError(
            _("The phases go in order: call, plans received, evaluation, winners' resolution."),
            field="submissions_until",
        )
    if uit_value is None:
        uit = UitValue.objects.filter(year=year).first()
        if uit is None:
            raise DomainError(_("There is no UIT for %(year)s: write it.") % {"year": year}, field="uit_value")
        uit_value = uit.amount
    contest = Contest.objects.create(
        centre=centre,
        name=name.strip(),
        owner=owner.strip(),
        year=year,
        budget=budget,
        uit_value=to_money(uit_value),
        zones=zones or "",
        call_on=call_on,
        submissions_until=submissions_until,
        evaluation_until=evaluation_until,
        results_on=results_on,
        execution_limit_days=execution_limit_days,
    )
    contest.chains.set(chains)
    contest.committee.set(committee)
    # With their history rows: the seed's rules are the first version of each category and criterion.
    bulk_create_with_history(
        [Category(contest=contest, **{**c, "description": str(c["description"])}) for c in CATEGORIES],
        Category,
        default_user=user,
    )
    bulk_create_with_history(
        [
            EvaluationCriterion(contest=contest, name=str(label), weight=weight, order=i)
            for i, (label, weight) in enumerate(CRITERIA, start=1)
        ],
        EvaluationCriterion,
        default_user=user,
    )
    return contest


CATEGORY_FIELDS = (
    "description",
    "legal_person_only",
    "min_members",
    "min_years",
    "min_sales_uit",
    "max_sales_uit",
    "min_cofinancing",
    "max_cofinancing",
    "min_counterpart_share",
    "min_monetary_share",
    "max_public_share",
)


@transaction.atomic
def category_update(*, user, category: Category, **fields) -> Category:
    """Change a category's rules, while the contest is being prepared."""
    policy.check(user, "contest_manage", category.contest)
    contest = _lock(category.contest)
    if contest.status != Contest.Status.DRAFT:
        raise DomainError(_("The rules are fixed once the call is published."))
    for name, value in fields.items():
        if name in CATEGORY_FIELDS:
            setattr(category, name, value)
    if category.min_cofinancing > category.max_cofinancing:
        raise DomainError(_("The minimum co-financing is above the maximum."), field="min_cofinancing")
    for share in ("min_counterpart_share", "min_monetary_share", "max_public_share"):
        if not (0 <= getattr(category, share) <= 100):
            raise DomainError(_("A share is between 0 and 100 %."), field=share)
    category.save()
    return category


@transaction.atomic
def criterion_update(*, user, criterion: EvaluationCriterion, name: str, weight: Decimal) -> EvaluationCriterion:
    policy.check(user, "contest_manage", criterion.contest)
    contest = _lock(criterion.contest)
    if contest.status != Contest.Status.DRAFT:
        raise DomainError(_("The criteria are fixed once the call is published."))
    if weight <= 0:
        raise DomainError(_("A weight is greater than zero."), field="weight")
    criterion.name, criterion.weight = name.strip(), weight
    criterion.save(update_fields=["name", "weight"])
    return criterion


@transaction.atomic
def contest_open(*, user, contest: Contest) -> Contest:
    """Publish the call: plans may be written and submitted; the rules no longer change."""
    policy.check(user, "contest_manage", contest)
    contest = _lock(contest)
    if contest.status != Contest.Status.DRAFT:
        raise DomainError(_("The call was already published."))
    weights = contest.criteria.aggregate(total=Sum("weight"))["total"] or ZERO
    if weights != HUNDRED:
        raise DomainError(
            _("The weights of the criteria add up to %(total)s %%; they must add up to 100 %%.") % {"total": weights}
        )
    if not contest.categories.exists():
        raise DomainError(_("The contest has no categories."))
    if not contest.committee.exists():
        raise DomainError(_("Name the evaluation committee first."))
    contest.status = Contest.Status.OPEN
    contest.save(update_fields=["status", "updated_at"])
    return contest


@transaction.atomic
def contest_close_submissions(*, user, contest: Contest) -> Contest:
    """No more plans: the committee evaluates those submitted."""
    policy.check(user, "contest_manage", contest)
    contest = _lock(contest)
    if contest.status != Contest.Status.OPEN:
        raise DomainError(_("Only an open contest stops receiving plans."))
    contest.status = Contest.Status.EVALUATION
    contest.save(update_fields=["status", "updated_at"])
    return contest


# --- Business plans ------------------------------------------------------------------------------

PLAN_FIELDS = ("title", "chain", "category", "execution_days", "direct_jobs", "indirect_jobs")


def _ensure_draft(plan: BusinessPlan) -> None:
    if plan.status != BusinessPlan.Status.DRAFT:
        raise DomainError(_("The plan was submitted: it can no longer be changed."))


@transaction.atomic
def plan_create(*, user, contest: Contest, aeo: AEO, chain, category: Category, title: str, **fields) -> BusinessPlan:
    """Start an AEO's business plan in an open contest."""
    policy.check(user, "plan_edit", contest)
    contest = _lock(contest)
    if contest.status != Contest.Status.OPEN:
        raise DomainError(_("The contest is not receiving business plans."))
    _ensure_centre(user, aeo.centre_id, field="aeo")
    if category.contest_id != contest.pk:
        raise DomainError(_("Choose a category of this contest."), field="category")
    if not (title or "").strip():
        raise DomainError(_("The plan needs a title."), field="title")
    extra = {k: v for k, v in fields.items() if k in PLAN_FIELDS}
    return BusinessPlan.objects.create(
        contest=contest,
        centre_id=contest.centre_id,
        aeo=aeo,
        chain=chain,
        category=category,
        title=title.strip(),
        **extra,
    )


@transaction.atomic
def plan_update(*, user, plan: BusinessPlan, **fields) -> BusinessPlan:
    policy.check(user, "plan_edit", plan)
    plan = _lock(plan)
    _ensure_draft(plan)
    for name, value in fields.items():
        if name in PLAN_FIELDS:
            setattr(plan, name, value)
    if plan.category.contest_id != plan.contest_id:
        raise DomainError(_("Choose a category of this contest."), field="category")
    plan.save()
    return plan


def plan_recompute_totals(plan: BusinessPlan) -> BusinessPlan:
    sums = dict.fromkeys(InvestmentLine.Source.values, ZERO)
    for row in plan.lines.values("source").annotate(total=Sum("amount")):
        sums[row["source"]] = row["total"]
    plan.public_amount = sums[InvestmentLine.Source.PUBLIC]
    plan.counterpart_money = sums[InvestmentLine.Source.MONEY]
    plan.counterpart_in_kind = sums[InvestmentLine.Source.IN_KIND]
    plan.total_investment = plan.public_amount + plan.counterpart_money + plan.counterpart_in_kind
    plan.save(
        update_fields=["public_amount", "counterpart_money", "counterpart_in_kind", "total_investment", "updated_at"]
    )
    return plan


@transaction.atomic
def investment_line_add(
    *,
    user,
    plan: BusinessPlan,
    kind: str,
    description: str,
    quantity: Decimal,
    unit_price: Decimal,
    source: str,
    specification: str = "",
) -> InvestmentLine:
    """Add a good or a service to the plan; the co-financing and the counterpart follow."""
    policy.check(user, "plan_edit", plan)
    plan = _lock(plan)
    _ensure_draft(plan)
    if kind not in InvestmentLine.Kind.values:
        raise DomainError(_("Goods or services?"), field="kind")
    if source not in InvestmentLine.Source.values:
        raise DomainError(_("Say who pays this line."), field="source")
    if not (description or "").strip():
        raise DomainError(_("Describe the good or service."), field="description")
    if quantity <= 0:
        raise DomainError(_("The quantity must be greater than zero."), field="quantity")
    if unit_price < 0:
        raise DomainError(_("The unit price cannot be negative."), field="unit_price")
    line = InvestmentLine.objects.create(
        plan=plan,
        kind=kind,
        description=description.strip(),
        specification=(specification or "").strip(),
        quantity=quantity,
        unit_price=to_money(unit_price),
        amount=to_money(quantity * to_money(unit_price)),
        source=source,
    )
    plan_recompute_totals(plan)
    return line


@transaction.atomic
def investment_line_delete(*, user, line: InvestmentLine) -> None:
    policy.check(user, "plan_edit", line.plan)
    plan = _lock(line.plan)
    _ensure_draft(plan)
    line.delete()
    plan_recompute_totals(plan)


@transaction.atomic
def plan_submit(*, user, plan: BusinessPlan, on: datetime.date | None = None) -> BusinessPlan:
    """Submit the plan: editing closes and its eligibility against the category's rules is recorded."""
    policy.check(user, "plan_edit", plan)
    plan = _lock(plan)
    _ensure_draft(plan)
    contest = plan.contest
    on = on or timezone.localdate()
    if contest.status != Contest.Status.OPEN or on > contest.submissions_until:
        raise DomainError(_("The contest no longer receives business plans."))
    if not plan.lines.exists():
        raise DomainError(_("The plan has no investment lines yet."))
    found = eligibility.problems(plan, on=on)
    plan.status = BusinessPlan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.is_eligible = not found
    plan.eligibility_problems = "\n".join(found)
    plan.save(update_fields=["status", "submitted_at", "is_eligible", "eligibility_problems", "updated_at"])
    return plan


# --- Evaluation ------------------------------------------------------------------------------------


def plan_weighted_score(plan: BusinessPlan) -> Decimal | None:
    """The members' average on each criterion, weighted; None until every criterion has a score."""
    criteria = list(plan.contest.criteria.all())
    averages = dict(plan.scores.values("criterion").annotate(avg=Avg("score")).values_list("criterion", "avg"))
    if not criteria or any(c.pk not in averages for c in criteria):
        return None
    weights = sum((c.weight for c in criteria), ZERO)
    total = sum((Decimal(averages[c.pk]) * c.weight for c in criteria), ZERO)
    return to_money(total / weights)


@transaction.atomic
def score_record(*, user, plan: BusinessPlan, criterion: EvaluationCriterion, score: Decimal) -> Score:
    """A committee member scores an eligible plan on one criterion (0-100); scoring again replaces it."""
    policy.check(user, "plan_score", plan)
    plan = _lock(plan)
    if plan.contest.status != Contest.Status.EVALUATION:
        raise DomainError(_("The contest is not in evaluation."))
    if plan.status != BusinessPlan.Status.SUBMITTED or not plan.is_eligible:
        raise DomainError(_("Only eligible submitted plans are scored."))
    if criterion.contest_id != plan.contest_id:
        raise DomainError(_("Choose a criterion of this contest."), field="criterion")
    if not (0 <= score <= 100):
        raise DomainError(_("A score is from 0 to 100."), field="score")
    record, _created = Score.objects.update_or_create(
        plan=plan, criterion=criterion, member=user, defaults={"score": score}
    )
    plan.weighted_score = plan_weighted_score(plan)
    plan.save(update_fields=["weighted_score", "updated_at"])
    return record


@transaction.atomic
def winners_choose(*, user, contest: Contest, resolution_number: str = "") -> list[BusinessPlan]:
    """Rank the eligible plans by weighted score and declare winners in that order while the budget lasts.

    A plan whose co-financing no longer fits is passed over for the next that fits. Ties go
    to the plan asking less public money, then to the one submitted first.
    """
    policy.check(user, "winners_choose", contest)
    contest = _lock(contest)
    if contest.status != Contest.Status.EVALUATION:
        raise DomainError(_("Winners are chosen when the evaluation is open."))
    eligible = list(contest.plans.filter(status=BusinessPlan.Status.SUBMITTED, is_eligible=True).select_for_update())
    unscored = [p.title for p in eligible if p.weighted_score is None]
    if unscored:
        raise DomainError(_("These plans still lack scores: %(plans)s.") % {"plans": ", ".join(unscored)})
    eligible.sort(key=lambda p: (-p.weighted_score, p.public_amount, p.submitted_at))
    left = contest.budget
    winners = []
    for rank, plan in enumerate(eligible, start=1):
        plan.rank = rank
        if plan.public_amount <= left:
            plan.status = BusinessPlan.Status.WINNER
            left -= plan.public_amount
            winners.append(plan)
        else:
            plan.status = BusinessPlan.Status.NOT_SELECTED
        plan.save(update_fields=["rank", "status", "updated_at"])
    contest.plans.filter(status=BusinessPlan.Status.SUBMITTED, is_eligible=False).update(
        status=BusinessPlan.Status.NOT_SELECTED
    )
    contest.status = Contest.Status.RESOLVED
    contest.resolution_number = (resolution_number or "").strip()
    contest.save(update_fields=["status", "resolution_number", "updated_at"])
    return winners
