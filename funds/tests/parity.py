"""The funds app's rows of the page/API parity test (tests/test_policy_parity.py)."""

from django.urls import reverse
from django.utils import timezone

from clients.tests.factories import CompanyFactory
from core.tests.parity import Case, get, post, row
from funds.models import AEOMember, BusinessPlan, Contest, Purchase, Score, Voucher
from funds.tests.factories import aeo_with, chain, contest_in, voucher_for


def _voucher(ctx):
    return voucher_for(CompanyFactory(centre=ctx["lima"]), f"BP-PARITY-{Voucher.objects.count()}")


def _aeo(ctx):
    return aeo_with(3, centre=ctx["lima"])


def _contest(ctx, **kwargs):
    return contest_in(ctx["lima"], **kwargs)


def _plan(ctx, *, contest=None, status=BusinessPlan.Status.DRAFT, eligible=None):
    contest = contest or _contest(ctx)
    return BusinessPlan.objects.create(
        contest=contest, centre=contest.centre, aeo=aeo_with(12, centre=contest.centre), chain=chain("Cacao"),
        category=contest.categories.get(code="A"), title="Plan de paridad", status=status, is_eligible=eligible,
        submitted_at=None if status == BusinessPlan.Status.DRAFT else timezone.now(),
    )  # fmt: skip


def _plan_to_score(ctx):
    contest = _contest(ctx, status=Contest.Status.EVALUATION, committee=[ctx["coordinator"], ctx["promoter"]])
    return _plan(ctx, contest=contest, status=BusinessPlan.Status.SUBMITTED, eligible=True)


def _winner(ctx):
    contest = _contest(ctx, status=Contest.Status.RESOLVED)
    return _plan(ctx, contest=contest, status=BusinessPlan.Status.WINNER, eligible=True)


def _draft_contest(ctx):
    return _contest(ctx, status=Contest.Status.DRAFT)


CASES = {
    "voucher_view": Case(
        _voucher,
        page=lambda v: get(reverse("funds:voucher_list")),
        api=lambda v: get(reverse("voucher-detail", args=[v.pk])),
        on_object=False,
    ),
    "voucher_issue": Case(
        _voucher,
        page=lambda v: post(reverse("funds:voucher_issue"), {"code": ""}),
        api=lambda v: post(reverse("voucher-list"), {"code": ""}),
        snapshot=lambda v: Voucher.objects.count(),
        on_object=False,
    ),
    "voucher_redeem": Case(
        not_a_request="redeemed by the services that take the payment (assistance's budget), through funds' service"
    ),
    "aeo_view": Case(
        _aeo,
        page=lambda a: get(reverse("funds:aeo_detail", args=[a.pk])),
        api=lambda a: get(reverse("aeo-detail", args=[a.pk])),
    ),
    "aeo_edit": Case(
        _aeo,
        page=lambda a: post(reverse("funds:aeo_member_add", args=[a.pk]), {"dni": "1", "board_role": "member"}),
        api=lambda a: post(reverse("aeo-members", args=[a.pk]), {"dni": "1", "board_role": "member"}),
        snapshot=lambda a: AEOMember.objects.filter(aeo=a).count(),
    ),
    # History pages have no API: the auditors only (core.policy.AUDITORS and the record's view rule).
    "history_view": Case(_contest, page=lambda c: get(reverse("funds:contest_history", args=[c.pk]))),
    "contest_view": Case(
        _contest,
        page=lambda c: get(reverse("funds:contest_detail", args=[c.pk])),
        api=lambda c: get(reverse("contest-detail", args=[c.pk])),
    ),
    "contest_manage": Case(
        _draft_contest,  # no committee yet: publishing is refused by the service, whoever asks
        page=lambda c: post(reverse("funds:contest_open", args=[c.pk])),
        api=lambda c: post(reverse("contest-open-call", args=[c.pk])),
        snapshot=row(Contest, "status"),
    ),
    "plan_edit": Case(
        _plan,  # no investment lines: submitting is refused by the service
        page=lambda p: post(reverse("funds:plan_submit", args=[p.pk])),
        api=lambda p: post(reverse("business-plan-submit", args=[p.pk])),
        snapshot=row(BusinessPlan, "status"),
    ),
    "plan_score": Case(
        _plan_to_score,
        page=lambda p: post(reverse("funds:plan_score", args=[p.pk]), {}),
        api=lambda p: post(reverse("business-plan-scores", args=[p.pk]), {"scores": []}),
        snapshot=lambda p: Score.objects.filter(plan=p).count(),
    ),
    "winners_choose": Case(
        _draft_contest,  # not in evaluation: refused by the service
        page=lambda c: post(reverse("funds:winners_choose", args=[c.pk])),
        api=lambda c: post(reverse("contest-winners", args=[c.pk])),
        snapshot=row(Contest, "status"),
    ),
    "purchase_record": Case(
        _winner,
        page=lambda p: post(reverse("funds:purchase_create", args=[p.pk]), {"purchase-description": ""}),
        api=lambda p: post(reverse("business-plan-purchases", args=[p.pk]), {"description": ""}),
        snapshot=lambda p: Purchase.objects.filter(plan=p).count(),
    ),
    "results_view": Case(
        _winner,
        page=lambda p: get(reverse("funds:contest_results", args=[p.contest_id])),
        api=lambda p: get(reverse("contest-results", args=[p.contest_id])),
        on_object=False,
    ),
    "purchases_panel_view": Case(not_a_request="a panel of the home page, not a page or an endpoint of its own"),
}
