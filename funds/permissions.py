"""Who may do what with vouchers and competitive funds: the one policy of this app.

Coordinators and administrators run the funds (issue vouchers, prepare and resolve
contests, follow the winners' purchases); promoters help the AEOs register and write
their business plans; the national manager reads every centre's; scoring is for the
users named on the contest's evaluation committee, whatever their role. Seeing a record
at all is the selectors' job (another centre's contest is a 404); this answers 403.
"""

from core.policy import AUDITORS, EVERY_ROLE, Policy, Rule
from core.roles import Role

MANAGERS = {Role.COORDINATOR, Role.ADMINISTRATOR}
READERS = {Role.PROMOTER, Role.CONSULTANT, Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}
HELPERS = {Role.PROMOTER, Role.COORDINATOR, Role.ADMINISTRATOR}
# Whoever takes a payment for a service or a course may redeem the voucher that pays it.
REDEEMERS = {Role.PROMOTER, Role.CONSULTANT, Role.COORDINATOR, Role.ADMINISTRATOR, Role.FRONT_DESK}


def _contest_of(obj):
    from .models import Contest

    if isinstance(obj, Contest):
        return obj
    return getattr(obj, "contest", None)


def on_committee(user, obj) -> bool:
    """Only the members of the contest's evaluation committee score its plans."""
    contest = _contest_of(obj)
    if contest is None:
        return False
    members = getattr(contest, "_prefetched_objects_cache", {}).get("committee")
    if members is not None:
        return any(m.pk == user.pk for m in members)
    return contest.committee.filter(pk=user.pk).exists()


policy = Policy(
    "funds",
    {
        # Vouchers (BonoPyME)
        "voucher_view": Rule(READERS | {Role.FRONT_DESK}),
        "voucher_issue": Rule(MANAGERS),
        "voucher_redeem": Rule(REDEEMERS),
        # Organised economic agents
        "aeo_view": Rule(READERS),
        "aeo_edit": Rule(HELPERS),
        # Contests
        "contest_view": Rule(READERS),
        # The history of a contest or a business plan (both read with contest_view).
        "history_view": AUDITORS & Rule(READERS),
        "contest_manage": Rule(MANAGERS),
        "plan_edit": Rule(HELPERS),
        "plan_score": Rule(EVERY_ROLE, on_object=on_committee),
        "winners_choose": Rule(MANAGERS),
        "purchase_record": Rule(MANAGERS),
        "results_view": Rule(READERS),
        "purchases_panel_view": Rule(MANAGERS),
    },
    scopes={
        # Who the daily reminders tell of a purchase of their centre's winning plans at risk or late:
        # those who follow the purchases (purchase_record), members of the plan's centre.
        "reminded_of_purchases": MANAGERS,
    },
)
