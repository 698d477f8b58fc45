"""Reads of the funds app, scoped to the centres the user sees."""

import datetime

from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from core.access import get_scoped_or_404, scope_to_user
from core.money import ZERO, to_money

from .models import AEO, BusinessPlan, Contest, Purchase, Voucher
from .procurement import purchase_state


def voucher_list(*, user) -> QuerySet[Voucher]:
    return scope_to_user(Voucher.objects.select_related("programme", "holder_company", "holder_entrepreneur"), user)


def voucher_detail(*, user, pk: int) -> Voucher:
    return get_scoped_or_404(voucher_list(user=user), user, pk=pk)


def aeo_list(*, user) -> QuerySet[AEO]:
    return scope_to_user(
        AEO.objects.select_related("district").annotate(member_count=Count("members")).order_by("name", "id"), user
    )


def aeo_detail(*, user, pk: int) -> AEO:
    return get_scoped_or_404(AEO.objects.select_related("district").prefetch_related("members"), user, pk=pk)


def contest_list(*, user) -> QuerySet[Contest]:
    return scope_to_user(Contest.objects.annotate(plan_count=Count("plans")).order_by("-year", "name", "id"), user)


def contest_detail(*, user, pk: int) -> Contest:
    return get_scoped_or_404(
        Contest.objects.prefetch_related("categories", "criteria", "chains", "committee"), user, pk=pk
    )


def plan_list(*, user) -> QuerySet[BusinessPlan]:
    return scope_to_user(
        BusinessPlan.objects.select_related("contest", "aeo", "aeo__district", "chain", "category"), user
    )


def plan_detail(*, user, pk: int) -> BusinessPlan:
    return get_scoped_or_404(
        plan_list(user=user).prefetch_related("lines", "contest__committee", "contest__criteria"), user, pk=pk
    )


def ranking(contest: Contest) -> list[BusinessPlan]:
    """Submitted eligible plans, best weighted score first (unscored last)."""
    plans = contest.plans.filter(is_eligible=True).exclude(status=BusinessPlan.Status.DRAFT)
    return list(
        plans.select_related("aeo", "chain", "category").order_by(
            F("weighted_score").desc(nulls_last=True), "public_amount", "submitted_at"
        )
    )


def purchase_list(*, user) -> QuerySet[Purchase]:
    return scope_to_user(
        Purchase.objects.select_related("plan", "plan__contest", "plan__aeo").prefetch_related("steps"),
        user,
        centre_field="plan__centre",
    )


def purchases_to_watch(*, user, today: datetime.date) -> list[tuple[Purchase, object]]:
    """Open purchases at risk, late or over the two-year limit, with their state: the reminder."""
    watched = []
    for purchase in purchase_list(user=user).filter(delivered_on__isnull=True):
        state = purchase_state(purchase, today)
        if state.flag:
            watched.append((purchase, state))
    return sorted(watched, key=lambda pair: -pair[1].elapsed_days)


def purchases_panel(user):
    from django.urls import reverse
    from django.utils import timezone

    return [
        (
            f"{p.description} · {p.plan.aeo} · {s.elapsed_days} d · {s.label}",
            reverse("funds:plan_detail", args=[p.plan_id]),
        )
        for p, s in purchases_to_watch(user=user, today=timezone.localdate())[:10]
    ]


# --- Reminders (registered with core.reminders) ---------------------------------------------------------


def purchase_reminders(today: datetime.date, *, flag: str):
    """Undelivered purchases whose state today is ``flag`` ("at_risk", "late" or "over_limit", as on the
    home-page panel), to each coordinator and administrator of the plan's centre.

    Due on the planned delivery date (at risk, late) or on the day the two-year limit ends (over the
    limit): planned days corrected later move the date, and the new one is reminded once more.
    """
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.reminders import Reminder, recipients_by_centre

    from .permissions import policy

    watched = []
    for purchase in Purchase.objects.filter(delivered_on__isnull=True).select_related("plan__contest", "plan__aeo"):
        state = purchase_state(purchase, today)
        if state.flag == flag:
            watched.append((purchase, state))
    if not watched:
        return
    followers = recipients_by_centre(
        {purchase.plan.centre_id for purchase, _state in watched}, policy.scopes["reminded_of_purchases"]
    )
    label = {
        "at_risk": _("Purchase at risk"),
        "late": _("Purchase late"),
        "over_limit": _("Purchase over the two-year limit"),
    }[flag]
    for purchase, state in watched:
        if flag == "over_limit":
            due_on = purchase.requirement_on + datetime.timedelta(days=purchase.plan.contest.execution_limit_days)
        else:
            due_on = purchase.requirement_on + datetime.timedelta(days=purchase.planned_days)
        message = _("%(label)s: %(purchase)s, %(aeo)s (%(elapsed)s of %(planned)s days, due %(due)s)") % {
            "label": label,
            "purchase": purchase.description,
            "aeo": purchase.plan.aeo,
            "elapsed": state.elapsed_days,
            "planned": state.planned_days,
            "due": f"{due_on:%d/%m/%Y}",
        }
        url = reverse("funds:plan_detail", args=[purchase.plan_id])
        for user_id in followers.get(purchase.plan.centre_id, []):
            yield Reminder(user_id, f"funds.purchase:{purchase.pk}", due_on, message, url)


RESULT_FIELDS = ("plans", "public", "counterpart", "total", "direct_jobs", "indirect_jobs")


def results(plans: QuerySet[BusinessPlan]) -> tuple[list[dict], dict]:
    """The winners per productive chain and province: plans, public money, counterpart, total, jobs; and the totals."""
    money = Coalesce(Sum("public_amount"), Value(ZERO))
    rows = list(
        plans.filter(status=BusinessPlan.Status.WINNER)
        .values(chain_name=F("chain__name"), province=F("aeo__district__province"))
        .annotate(
            plans=Count("id"),
            public=money,
            counterpart=Coalesce(Sum(F("counterpart_money") + F("counterpart_in_kind")), Value(ZERO)),
            total=Coalesce(Sum("total_investment"), Value(ZERO)),
            direct_jobs=Coalesce(Sum("direct_jobs"), 0),
            indirect_jobs=Coalesce(Sum("indirect_jobs"), 0),
        )
        .order_by("chain_name", "province")
    )
    for row in rows:  # SQLite sums decimals without their scale: S/ always shows the cents
        for field in ("public", "counterpart", "total"):
            row[field] = to_money(row[field])
    totals = {field: sum((row[field] for row in rows), ZERO if field in ("public", "counterpart", "total") else 0)
              for field in RESULT_FIELDS}  # fmt: skip
    return rows, totals


def resolution_contest(user, pk: int) -> Contest:
    """The contest whose winners' resolution a user may print: 404 if out of scope, 403 if the policy refuses."""
    from django.http import Http404

    from .permissions import policy

    contest = contest_detail(user=user, pk=pk)
    policy.check(user, "contest_view", contest)
    if contest.status != Contest.Status.RESOLVED:
        raise Http404("no winners yet")
    return contest


def resolution_context(contest: Contest) -> dict:
    winners = list(
        contest.plans.filter(status=BusinessPlan.Status.WINNER).select_related("aeo", "category").order_by("rank")
    )
    public = sum((p.public_amount for p in winners), ZERO)
    counterpart = sum((p.counterpart for p in winners), ZERO)
    return {
        "contest": contest,
        "winners": winners,
        "public": public,
        "counterpart": counterpart,
        "total": public + counterpart,
    }
