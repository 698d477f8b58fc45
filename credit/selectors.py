"""Reads of the credit fund, scoped to the requesting user.

A loan is seen by the staff of its centre and by national roles; a credit officer
sees only the loans of the operators they belong to. Lists are built in a fixed number
of queries (annotations and prefetches, never a query per row).
"""

import datetime
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.access import centre_ids, scope_to_user, sees_all_centres
from core.money import ZERO, to_money
from core.selectors import centre_settings

from . import arrears
from .models import Allocation, ExchangeRate, Instalment, LedgerEntry, Loan, LoanProduct, MarginPayment, Operator
from .permissions import policy
from .position import Position, position_from_rows

UNPAID = (
    Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due")) | Q(fee_paid__lt=F("fee_due"))
)


def _own_operators(queryset: QuerySet, user, field: str) -> QuerySet:
    if policy.in_scope(user, "only_own_operator"):
        return queryset.filter(**{f"{field}__in": user.credit_operators.values("pk")})
    return queryset


def operator_list(*, user) -> QuerySet[Operator]:
    """The operators of the centres a user sees: based there, or serving one of them besides their own."""
    qs = Operator.objects.select_related("centre").prefetch_related("other_centres")
    if not sees_all_centres(user):
        served = Operator.objects.filter(other_centres__in=centre_ids(user)).values("pk")
        qs = qs.filter(Q(pk__in=scope_to_user(Operator.objects.all(), user).values("pk")) | Q(pk__in=served))
    return _own_operators(qs, user, "pk").order_by("name")


def operator_detail(*, user, pk: int) -> Operator:
    return get_object_or_404(operator_list(user=user), pk=pk)


def product_list(*, user) -> QuerySet[LoanProduct]:
    return LoanProduct.objects.filter(operator__in=operator_list(user=user), is_active=True).select_related("operator")


def loan_list(*, user, today: datetime.date | None = None) -> QuerySet[Loan]:
    """Loans with what is left of their principal and the due date of their oldest unpaid instalment."""
    today = today or timezone.localdate()
    repaid = (
        Instalment.objects.filter(loan=OuterRef("pk"))
        .order_by()
        .values("loan")
        .annotate(total=Sum("principal_paid"))
        .values("total")
    )
    oldest_unpaid = (
        Instalment.objects.filter(UNPAID, loan=OuterRef("pk"), due_date__lt=today)
        .order_by("due_date")
        .values("due_date")
    )
    qs = (
        scope_to_user(Loan.objects.all(), user)
        .select_related("entrepreneur", "company", "operator", "product", "centre")
        .annotate(principal_repaid=Subquery(repaid[:1]), oldest_unpaid_due=Subquery(oldest_unpaid[:1]))
        .order_by("-applied_on", "-pk")
    )
    return _own_operators(qs, user, "operator")


def days_late(loan: Loan, today: datetime.date | None = None) -> int:
    """Days since the oldest unpaid instalment fell due (0: up to date), from the list's annotation."""
    if loan.status != Loan.Status.DISBURSED or loan.oldest_unpaid_due is None:
        return 0
    return ((today or timezone.localdate()) - loan.oldest_unpaid_due).days


def outstanding_principal(loan: Loan) -> Decimal:
    if loan.status not in (Loan.Status.DISBURSED,):
        return ZERO
    return loan.amount - (loan.principal_repaid or ZERO)


def loan_detail(*, user, pk: int) -> Loan:
    return get_object_or_404(
        loan_list(user=user).prefetch_related("instalments", "repayments__posted_by", "ledger"), pk=pk
    )


def loans_for_portfolio(queryset: QuerySet[Loan]) -> QuerySet[Loan]:
    """Loans with everything ``arrears`` needs to recompute any past date: three queries in all."""
    allocations = Allocation.objects.select_related("repayment").only(
        "instalment_id", "fee", "interest", "principal", "repayment__date"
    )
    instalments = Instalment.objects.prefetch_related(Prefetch("allocations", queryset=allocations))
    return queryset.exclude(disbursed_on__isnull=True).prefetch_related(Prefetch("instalments", queryset=instalments))


def portfolio_of(*, user, as_of: datetime.date, operator: Operator | None = None) -> arrears.Portfolio:
    loans = loan_list(user=user, today=as_of)
    if operator is not None:
        loans = loans.filter(operator=operator)
    return arrears.portfolio(loans_for_portfolio(loans), as_of)


def par_days(centre_id: int | None = None) -> int:
    """Days late from which a loan counts as delinquent (PAR30 by default): the centre's setting."""
    return centre_settings(centre_id).credit_par_days


def delinquency_by(portfolio: arrears.Portfolio, key) -> list[dict]:
    """Delinquency (portfolio at risk at the centre's threshold) grouped by ``key(loan)``: operator or centre."""
    groups: dict = {}
    for state in portfolio.active:
        groups.setdefault(key(state.loan), []).append(state)
    rows = []
    for group, states in sorted(groups.items(), key=lambda item: str(item[0])):
        threshold = par_days(states[0].loan.centre_id)
        part = arrears.Portfolio(portfolio.as_of, states)
        rows.append(
            {"group": group, "loans": len(states), "outstanding": part.outstanding, "rate": part.par(threshold),
             "par_days": threshold}
        )  # fmt: skip
    return rows


def ledger_list(*, user) -> QuerySet[LedgerEntry]:
    qs = LedgerEntry.objects.filter(operator__in=operator_list(user=user)).select_related(
        "operator", "loan", "created_by", "reverses"
    )
    return qs.order_by("-date", "-pk")


def fund_positions(operator_ids, as_of: datetime.date) -> dict[int, Position]:
    """The position of each operator at the end of ``as_of``: one query whatever the number of entries."""
    rows = (
        LedgerEntry.objects.filter(operator_id__in=list(operator_ids), date__lte=as_of)
        .order_by()
        .values_list("operator_id", "kind")
        .annotate(total=Sum("amount"))
    )
    positions = position_from_rows(rows, as_of)
    return {pk: positions.get(pk, Position(as_of)) for pk in operator_ids}


def fund_position(operator: Operator, as_of: datetime.date) -> Position:
    return fund_positions([operator.pk], as_of)[operator.pk]


def rate_on(day: datetime.date) -> ExchangeRate | None:
    """The exchange rate in force on a day: the last one recorded on or before it."""
    return ExchangeRate.objects.filter(date__lte=day).order_by("-date").first()


def margin_due_pen(operator: Operator, year: int) -> Decimal:
    """The administrator's margin for a year in soles: the rate times the capital placed, each
    amount counted for the days of the year it stayed with the operator."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days_in_year = (last - first).days + 1
    entries = LedgerEntry.objects.filter(
        operator=operator, date__lte=last, kind__in=["capital_in", "capital_returned", "capital_ceded"]
    ).values_list("date", "kind", "amount")
    weighted = ZERO
    for day, kind, amount in entries:
        signed = amount if kind == "capital_in" else -amount
        days = (last - max(day, first)).days + 1
        weighted += signed * days
    return to_money(weighted * operator.margin_rate / 100 / days_in_year)


def margin_rows(operator: Operator, through_year: int) -> list[dict]:
    """Each year since the operator started: the margin due (S/), and what was paid."""
    paid = {m.year: m for m in MarginPayment.objects.filter(operator=operator)}
    return [
        {"year": year, "due_pen": margin_due_pen(operator, year), "payment": paid.get(year)}
        for year in range(operator.started_on.year, through_year + 1)
    ]


def timeline_loans(companies, user) -> list:
    """The loans of these companies that the user may see, as timeline events."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from clients.timeline import TimelineEvent

    if not policy.role_allows(user, "loan_view"):
        return []  # the company's file must not link to loans the user may not open (a 403)
    # The loans of the scoped list, read for the columns an event shows: the list's joins and per-loan
    # subqueries are left out (on the company's file, the most opened page, compiling them cost more than
    # running them).
    visible = loan_list(user=user).filter(company__in=companies).values("pk")
    loans = Loan.objects.filter(pk__in=visible).only("company_id", "amount", "status", "disbursed_on", "applied_on")
    return [
        TimelineEvent(
            company_id=loan.company_id,
            date=loan.disbursed_on or loan.applied_on,
            kind=_("Credit"),
            title=f"{loan.code} · {loan.amount} ({loan.get_status_display()})",
            url=reverse("credit:loan_detail", args=[loan.pk]),
            icon="cash-coin",
        )
        for loan in loans
    ]


def fund_statement(operator: Operator, as_of: datetime.date) -> dict:
    """The end-of-fund statement of one operator at a date: the position from the ledger, the capital
    tranches, the margin due and paid each year, and the decision recorded for what is left."""
    from .models import FundClosing

    return {
        "operator": operator,
        "as_of": as_of,
        "position": fund_position(operator, as_of),
        "tranches": list(operator.tranches.filter(date__lte=as_of).order_by("date", "pk")),
        "margins": margin_rows(operator, as_of.year),
        "manual_entries": manual_entries(operator, as_of),
        "closing": FundClosing.objects.filter(operator=operator).select_related("decided_by").first(),
    }


def manual_entries(operator: Operator, as_of: datetime.date) -> list[LedgerEntry]:
    """The entries typed by the fund keeper up to a date (capital, margin, capital returned or ceded),
    newest first, each knowing whether it has been reversed: the ones a mistake is corrected in."""
    from .models import REVERSIBLE_KINDS

    return list(
        LedgerEntry.objects.filter(operator=operator, kind__in=REVERSIBLE_KINDS, date__lte=as_of)
        .select_related("reverses", "created_by")
        .annotate(is_reversed=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-date", "-pk")
    )


def statement_date(operator: Operator) -> datetime.date:
    """The date a printed statement is drawn at: the end-of-fund decision's, else today."""
    from .models import FundClosing

    closing = FundClosing.objects.filter(operator=operator).only("as_of").first()
    return closing.as_of if closing is not None else timezone.localdate()


def statement_parameters(parameters: dict) -> dict:
    """The printed statement's date (``as_of``, optional): a real date, not in the future."""
    from django.utils.dateparse import parse_date
    from django.utils.translation import gettext as _

    from core.exceptions import DomainError

    raw = (parameters.get("as_of") or "").strip()
    if not raw:
        return {}
    try:
        as_of = parse_date(raw)
    except ValueError:
        as_of = None
    if as_of is None:
        raise DomainError(_("The statement's date is not a valid date."), field="as_of")
    if as_of > timezone.localdate():
        raise DomainError(_("The statement cannot be drawn at a future date."), field="as_of")
    return {"as_of": as_of.isoformat()}


def statement_document(operator: Operator, parameters: dict) -> dict:
    """The printed statement at the date chosen on the page, else at the end-of-fund decision's, else today."""
    chosen = parameters.get("as_of")
    as_of = datetime.date.fromisoformat(chosen) if chosen else statement_date(operator)
    return fund_statement(operator, as_of)


def statement_operator(user, pk: int) -> Operator:
    """The operator whose statement a user may print: 404 if out of scope, 403 if the policy refuses."""
    operator = operator_detail(user=user, pk=pk)
    policy.check(user, "fund_view", operator)
    return operator


def officer_work_panel(user, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """A credit officer's loans in arrears (oldest first) and those with an instalment due this week:
    the home page's to-do list, in two queries whatever the portfolio."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    due_soon = (
        Instalment.objects.filter(
            UNPAID, loan=OuterRef("pk"), due_date__gte=today, due_date__lte=today + datetime.timedelta(days=7)
        )
        .order_by("due_date")
        .values("due_date")
    )
    loans = (
        loan_list(user=user, today=today)
        .filter(status=Loan.Status.DISBURSED)
        .annotate(due_soon=Subquery(due_soon[:1]))
        .filter(Q(oldest_unpaid_due__isnull=False) | Q(due_soon__isnull=False))
        .order_by(F("oldest_unpaid_due").asc(nulls_last=True), "due_soon", "pk")[:10]
    )
    items = []
    for loan in loans:
        if loan.oldest_unpaid_due is not None:
            note = _("%(days)s days late") % {"days": (today - loan.oldest_unpaid_due).days}
        else:
            note = _("due on %(date)s") % {"date": f"{loan.due_soon:%d/%m/%Y}"}
        items.append((f"{loan.code} · {loan.entrepreneur} · {note}", reverse("credit:loan_detail", args=[loan.pk])))
    return items


# --- Reminders (registered with core.reminders) ---------------------------------------------------------

INSTALMENT_DAYS_AHEAD = 3


def instalment_reminders(today, *, overdue: bool = False):
    """Unpaid instalments of loans in force due within three days (or, ``overdue``, past due),
    to each credit officer of the loan's operator."""
    import datetime

    from django.db.models import F, Q
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.reminders import Reminder

    from .models import Instalment, Loan

    unpaid = (
        Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due")) | Q(fee_paid__lt=F("fee_due"))
    )
    rows = Instalment.objects.filter(unpaid, loan__status=Loan.Status.DISBURSED)
    if overdue:
        rows = rows.filter(due_date__lt=today)
    else:
        rows = rows.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=INSTALMENT_DAYS_AHEAD))
    rows = rows.select_related("loan__entrepreneur").prefetch_related("loan__operator__officers")
    label = _("Instalment overdue") if overdue else _("Instalment due")
    for instalment in rows:
        loan = instalment.loan
        message = (
            f"{label}: {loan.code} #{instalment.number}, {loan.entrepreneur} "
            f"({instalment.due_date:%d/%m/%Y}, S/ {instalment.total_due - instalment.total_paid:,.2f})"
        )
        for officer in loan.operator.officers.all():
            yield Reminder(
                officer.pk,
                f"credit.instalment:{instalment.pk}",
                instalment.due_date,
                message,
                reverse("credit:loan_detail", args=[loan.pk]),
            )


# --- Printable documents (registered with core.reports) ------------------------------------------------


def printable_loan(user, pk: int) -> Loan:
    """A loan whose documents the user may print: 404 out of scope, 403 if the policy refuses."""
    loan = loan_detail(user=user, pk=pk)
    policy.check(user, "loan_view", loan)
    return loan


def loan_document(loan: Loan) -> dict:
    """A loan's schedule with its totals, and where it stands today (for the statement)."""
    from .arrears import loan_state

    instalments = list(loan.instalments.all())
    totals = {
        "principal": sum((i.principal_due for i in instalments), ZERO),
        "interest": sum((i.interest_due for i in instalments), ZERO),
        "fee": sum((i.fee_due for i in instalments), ZERO),
        "due": sum((i.total_due for i in instalments), ZERO),
        "paid": sum((i.total_paid for i in instalments), ZERO),
    }
    totals["balance"] = totals["due"] - totals["paid"]
    today = timezone.localdate()
    state = None
    if loan.disbursed_on:
        state = loan_state(loans_for_portfolio(Loan.objects.filter(pk=loan.pk)).get(), today)
    return {
        "loan": loan,
        "instalments": instalments,
        "totals": totals,
        "repayments": list(loan.repayments.all()),
        "state": state,
        "as_of": today,
    }
