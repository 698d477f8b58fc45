"""Who may do what with the rotating credit fund: the one policy of this app.

Credit officers work on their operator's loans only (the object rule ``officer_of``);
coordinators and national roles read; the administrator keeps the fund (capital,
margin, exchange rates, the end-of-fund decision) and, with the coordinator, writes
loans off. Seeing a record at all is the selectors' job (another centre's loan, or for
an officer another operator's, is a 404); this answers 403.
"""

from core.policy import AUDITORS, Policy, Rule
from core.roles import Role

OFFICERS = {Role.CREDIT_OFFICER, Role.ADMINISTRATOR}
READERS = {Role.CREDIT_OFFICER, Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}
WRITERS_OFF = {Role.COORDINATOR, Role.ADMINISTRATOR}
KEEPERS = {Role.ADMINISTRATOR}


def _operator_id(obj) -> int | None:
    from .models import Operator

    if isinstance(obj, Operator):
        return obj.pk
    return getattr(obj, "operator_id", None)


def officer_of(user, obj) -> bool:
    """A credit officer works only on the loans (and the fund) of the operators they belong to."""
    if not policy.in_scope(user, "only_own_operator"):
        return True
    # Read each time (one small query): an officer added to an operator works there at once.
    return user.credit_operators.filter(pk=_operator_id(obj)).exists()


policy = Policy(
    "credit",
    {
        "loan_view": Rule(READERS, on_object=officer_of),
        # The history of a loan or an operator's fund: the auditors, not the officers who work on them.
        "history_view": AUDITORS & Rule(READERS, on_object=officer_of),
        "loan_apply": Rule(OFFICERS, on_object=officer_of),
        "loan_decide": Rule(OFFICERS, on_object=officer_of),
        "loan_disburse": Rule(OFFICERS, on_object=officer_of),
        "repayment_post": Rule(OFFICERS, on_object=officer_of),
        "loan_write_off": Rule(WRITERS_OFF),
        "simulate": Rule(READERS),
        "fund_view": Rule(READERS, on_object=officer_of),
        "tranche_place": Rule(KEEPERS),
        "entry_reverse": Rule(KEEPERS),
        "margin_record": Rule(KEEPERS),
        "fund_close": Rule(KEEPERS),
        "snapshot_take": Rule(KEEPERS),
        "work_panel_view": Rule({Role.CREDIT_OFFICER}),
    },
    scopes={"only_own_operator": {Role.CREDIT_OFFICER}},
)
