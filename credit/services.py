"""Writes of the credit fund. Every movement of money goes through here and into the ledger.

Each service takes the acting ``user`` and asks the policy first, runs in one
transaction, and locks the rows a race could corrupt (``select_for_update``): the
operator when cash leaves the fund, the loan when it is paid out or paid into. A
repeated submission (a double click, a retried request) has one effect: a loan is paid
out once (and a partial unique index on the ledger says so too), and a repayment with a
key already posted returns the first one.

Choices (documented for the officer):
* an overpayment is refused: the officer posts at most what is owed;
* an early payment goes to the next instalments in order (fee, interest, principal), as
  scheduled: the schedule is not recomputed;
* repayments are posted in date order: one dated before the last posted is refused,
  so any past date can be recomputed from the allocations.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from clients.models import Need, NeedType
from clients.services import need_mark_answered
from core.exceptions import DomainError
from core.money import ZERO, to_money

from . import selectors
from .models import (
    REVERSIBLE_KINDS,
    Allocation,
    ArrearsSnapshot,
    Currency,
    FundClosing,
    Instalment,
    LedgerEntry,
    Loan,
    LoanProduct,
    MarginPayment,
    Operator,
    Repayment,
    Tranche,
)
from .permissions import policy
from .schedule import build_schedule, fee_for

Kind = LedgerEntry.Kind


def _not_in_future(day: datetime.date, field: str = "date") -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)


def _entry(*, user, operator: Operator, day, kind, amount: Decimal, **links) -> LedgerEntry:
    return LedgerEntry.objects.create(
        operator=operator, date=day, kind=kind, amount=to_money(amount), created_by=user, **links
    )


# --- Capital ----------------------------------------------------------------------------------------


@transaction.atomic
def tranche_place(
    *, user, operator: Operator, date: datetime.date, amount: Decimal, currency: str = Currency.PEN, note: str = ""
) -> Tranche:
    """Place capital with an operator: a tranche and its ledger entry (in soles, at the day's rate)."""
    policy.check(user, "tranche_place", operator)
    amount = to_money(amount)
    if amount <= 0:
        raise DomainError(_("The amount must be greater than zero."), field="amount")
    _not_in_future(date)
    if currency == Currency.USD:
        rate = selectors.rate_on(date)
        if rate is None:
            raise DomainError(_("There is no exchange rate on or before that date."), field="currency")
        amount_pen = to_money(amount * rate.pen_per_usd)
    else:
        amount_pen = amount
    tranche = Tranche.objects.create(
        operator=operator, date=date, amount=amount, currency=currency, amount_pen=amount_pen, note=note,
        created_by=user,
    )  # fmt: skip
    _entry(user=user, operator=operator, day=date, kind=Kind.CAPITAL_IN, amount=amount_pen, tranche=tranche, note=note)
    return tranche


@transaction.atomic
def entry_reverse(*, user, entry: LedgerEntry, date: datetime.date, reason: str) -> LedgerEntry:
    """Correct a mistaken entry by a reversing one (the same kind, the opposite amount) pointing to it."""
    policy.check(user, "entry_reverse", entry)
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise DomainError(_("A reversing entry cannot itself be reversed."))
    if entry.kind not in REVERSIBLE_KINDS:
        raise DomainError(_("Entries of a loan are corrected through the loan, not by hand."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise DomainError(_("This entry has already been reversed."))
    if not (reason or "").strip():
        raise DomainError(_("Say why the entry is reversed."), field="reason")
    if date < entry.date:
        raise DomainError(_("A reversal cannot be dated before the entry it reverses."), field="date")
    _not_in_future(date)
    return _entry(
        user=user, operator=entry.operator, day=date, kind=entry.kind, amount=-entry.amount, reverses=entry,
        tranche=entry.tranche, note=reason.strip()[:300],
    )  # fmt: skip


# --- Loans ------------------------------------------------------------------------------------------


@transaction.atomic
def loan_apply(
    *,
    user,
    product: LoanProduct,
    entrepreneur,
    amount: Decimal,
    term_months: int,
    purpose: str,
    company=None,
    grace_months: int = 0,
    guarantee: str = "",
    applied_on: datetime.date | None = None,
) -> Loan:
    """Record an application on a product's terms (copied into the loan)."""
    policy.check(user, "loan_apply", product)
    applied_on = applied_on or timezone.localdate()
    _not_in_future(applied_on, "applied_on")
    amount = to_money(amount)
    operator = product.operator
    if not product.is_active:
        raise DomainError(_("This product is no longer offered."), field="product")
    if not operator.serves(entrepreneur.centre_id):
        raise DomainError(_("The operator does not serve this person's centre."), field="entrepreneur")
    if company is None:
        company = entrepreneur.company
    if not product.min_amount <= amount <= product.max_amount:
        raise DomainError(
            _("The amount must be between %(min)s and %(max)s.")
            % {"min": product.min_amount, "max": product.max_amount},
            field="amount",
        )
    if not product.min_term <= term_months <= product.max_term:
        raise DomainError(
            _("The term must be between %(min)s and %(max)s months.")
            % {"min": product.min_term, "max": product.max_term},
            field="term_months",
        )
    if not 0 <= grace_months <= product.max_grace_months or grace_months >= term_months:
        raise DomainError(
            _("The product allows at most %(months)s months of grace.") % {"months": product.max_grace_months},
            field="grace_months",
        )
    if purpose not in product.purposes:
        raise DomainError(_("The product does not lend for this purpose."), field="purpose")
    return Loan.objects.create(
        centre_id=entrepreneur.centre_id, operator=operator, product=product, entrepreneur=entrepreneur,
        company=company, amount=amount, term_months=term_months, grace_months=grace_months,
        monthly_rate=product.monthly_rate, fee_rate=product.fee_rate, fee_mode=product.fee_mode,
        method=product.method, purpose=purpose, guarantee=(guarantee or "").strip()[:300], applied_on=applied_on,
        applied_by=user,
    )  # fmt: skip


def _locked(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().get(pk=loan.pk)


@transaction.atomic
def loan_decide(*, user, loan: Loan, approve: bool, evaluation: str, on: datetime.date | None = None) -> Loan:
    """The credit officer's evaluation: approve or reject an application."""
    policy.check(user, "loan_decide", loan)
    loan = _locked(loan)
    if loan.status != Loan.Status.APPLIED:
        raise DomainError(_("Only an application waiting for a decision can be approved or rejected."))
    if not (evaluation or "").strip():
        raise DomainError(_("Write the evaluation that supports the decision."), field="evaluation")
    on = on or timezone.localdate()
    if on < loan.applied_on:
        raise DomainError(_("The decision cannot be dated before the application."), field="on")
    loan.status = Loan.Status.APPROVED if approve else Loan.Status.REJECTED
    loan.evaluation = evaluation.strip()
    loan.decided_on, loan.decided_by = on, user
    loan.save(update_fields=["status", "evaluation", "decided_on", "decided_by", "updated_at"])
    return loan


@transaction.atomic
def loan_disburse(*, user, loan: Loan, on: datetime.date | None = None) -> Loan:
    """Pay a loan out: fix its schedule, write the disbursement (and a deducted fee) to the ledger,
    and answer the borrower's open credit needs. Paying out a loan already paid out does nothing."""
    policy.check(user, "loan_disburse", loan)
    # The operator first, then the loan: two disbursements of one operator queue for its cash.
    operator = Operator.objects.select_for_update().get(pk=loan.operator_id)
    loan = _locked(loan)
    if loan.status == Loan.Status.DISBURSED:
        return loan  # a double click or a retry: the first one did it
    if loan.status != Loan.Status.APPROVED:
        raise DomainError(_("Only an approved loan can be paid out."))
    on = on or timezone.localdate()
    _not_in_future(on, "on")
    if on < (loan.decided_on or loan.applied_on):
        raise DomainError(_("A loan cannot be paid out before it was approved."), field="on")
    fee = fee_for(loan.amount, loan.fee_rate)
    cash_out = loan.amount - (fee if loan.fee_mode == "deducted" else ZERO)
    available = selectors.fund_position(operator, on).available
    if cash_out > available:
        raise DomainError(
            _("The fund has %(available)s available on that date: not enough for this loan.") % {"available": available}
        )
    lines = build_schedule(
        principal=loan.amount, monthly_rate=loan.monthly_rate, months=loan.term_months, method=loan.method,
        grace_months=loan.grace_months, start=on,
    )  # fmt: skip
    # With their history rows: who fixed the schedule, and when, is part of each instalment's trail.
    bulk_create_with_history(
        [
            Instalment(
                loan=loan,
                number=line.number,
                due_date=line.due_date,
                principal_due=line.principal,
                interest_due=line.interest,
                fee_due=fee if (loan.fee_mode == "apart" and line.number == 1) else ZERO,
            )
            for line in lines
        ],
        Instalment,
        default_user=user,
    )
    _entry(user=user, operator=operator, day=on, kind=Kind.DISBURSEMENT, amount=loan.amount, loan=loan)
    if loan.fee_mode == "deducted" and fee > 0:
        _entry(user=user, operator=operator, day=on, kind=Kind.FEE, amount=fee, loan=loan)
    loan.status, loan.disbursed_on, loan.disbursed_by, loan.fee_amount = Loan.Status.DISBURSED, on, user, fee
    loan.save(update_fields=["status", "disbursed_on", "disbursed_by", "fee_amount", "updated_at"])
    _answer_credit_needs(user=user, loan=loan)
    return loan


def _answer_credit_needs(*, user, loan: Loan) -> None:
    needs = Need.objects.filter(status=Need.Status.OPEN, need_type=NeedType.CREDIT, entrepreneur=loan.entrepreneur)
    if loan.company_id:
        needs = needs | Need.objects.filter(status=Need.Status.OPEN, need_type=NeedType.CREDIT, company=loan.company)
    for need in needs:
        need_mark_answered(user=user, need=need, answered_by=_("Loan %(code)s") % {"code": loan.code})


def outstanding_total(instalments) -> Decimal:
    return sum((i.total_due - i.total_paid for i in instalments), ZERO)


@transaction.atomic
def repayment_post(*, user, loan: Loan, amount: Decimal, date: datetime.date, idempotency_key: str) -> Repayment:
    """Post a payment: fee first, then interest, then principal, oldest instalment first.

    Idempotent: a repayment already posted with this key is returned as it was. The loan
    row is locked, so two postings on one loan run one after the other.
    """
    policy.check(user, "repayment_post", loan)
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise DomainError(_("The submission has no key: reload the form and try again."))
    loan = _locked(loan)
    done = Repayment.objects.filter(loan=loan, idempotency_key=key).first()
    if done is not None:
        return done
    amount = to_money(amount) if amount is not None else ZERO
    if amount <= 0:
        raise DomainError(_("The amount paid must be greater than zero."), field="amount")
    if loan.status != Loan.Status.DISBURSED:
        raise DomainError(_("Payments are posted only on a loan that has been paid out and is not closed."))
    if date < loan.disbursed_on:
        raise DomainError(_("A payment cannot be dated before the loan was paid out."), field="date")
    _not_in_future(date)
    last = loan.repayments.order_by("-date").values_list("date", flat=True).first()
    if last and date < last:
        raise DomainError(
            _("A payment dated %(date)s is already posted: post payments in date order.")
            % {"date": f"{last:%d/%m/%Y}"},
            field="date",
        )
    instalments = list(loan.instalments.order_by("number"))
    owed = outstanding_total(instalments)
    if amount > owed:
        raise DomainError(
            _("The payment is more than what is owed (%(owed)s): an overpayment is not accepted.") % {"owed": owed},
            field="amount",
        )
    try:
        with transaction.atomic():
            repayment = Repayment.objects.create(
                loan=loan, date=date, amount=amount, idempotency_key=key, posted_by=user
            )
    except IntegrityError:
        # Another request with this key got in first (where the lock could not order them).
        return Repayment.objects.get(loan=loan, idempotency_key=key)
    left = amount
    totals = {"fee": ZERO, "interest": ZERO, "principal": ZERO}
    for instalment in instalments:
        if left <= 0:
            break
        parts = {}
        for part in ("fee", "interest", "principal"):
            owing = getattr(instalment, f"{part}_due") - getattr(instalment, f"{part}_paid")
            take = min(owing, left)
            parts[part] = take
            left -= take
        if not any(parts.values()):
            continue
        Allocation.objects.create(repayment=repayment, instalment=instalment, **parts)
        for part, take in parts.items():
            setattr(instalment, f"{part}_paid", getattr(instalment, f"{part}_paid") + take)
            totals[part] += take
        instalment.save(update_fields=["fee_paid", "interest_paid", "principal_paid"])
    for kind, part in ((Kind.FEE, "fee"), (Kind.INTEREST, "interest"), (Kind.PRINCIPAL, "principal")):
        if totals[part] > 0:
            _entry(user=user, operator=loan.operator, day=date, kind=kind, amount=totals[part], loan=loan,
                   repayment=repayment)  # fmt: skip
    if amount == owed:
        loan.status = Loan.Status.REPAID
        loan.save(update_fields=["status", "updated_at"])
    return repayment


@transaction.atomic
def loan_write_off(*, user, loan: Loan, on: datetime.date, reason: str) -> Loan:
    """Write off what is left of a loan's principal, with the reason. The loan takes no more payments."""
    policy.check(user, "loan_write_off", loan)
    loan = _locked(loan)
    if loan.status != Loan.Status.DISBURSED:
        raise DomainError(_("Only a loan being repaid can be written off."))
    if not (reason or "").strip():
        raise DomainError(_("Say why the loan is written off."), field="reason")
    _not_in_future(on, "on")
    last = loan.repayments.order_by("-date").values_list("date", flat=True).first()
    if on < loan.disbursed_on or (last and on < last):
        raise DomainError(_("A write-off cannot be dated before the last movement of the loan."), field="on")
    repaid = sum(loan.instalments.values_list("principal_paid", flat=True), ZERO)
    _entry(user=user, operator=loan.operator, day=on, kind=Kind.WRITE_OFF, amount=loan.amount - repaid, loan=loan,
           note=reason.strip()[:300])  # fmt: skip
    loan.status, loan.written_off_on, loan.write_off_reason = Loan.Status.WRITTEN_OFF, on, reason.strip()[:300]
    loan.save(update_fields=["status", "written_off_on", "write_off_reason", "updated_at"])
    return loan


# --- The administrator's margin and the end of the fund -----------------------------------------------


@transaction.atomic
def margin_record(*, user, operator: Operator, year: int, paid_on: datetime.date) -> MarginPayment:
    """Record that an operator paid a year's margin: due in dollars, at the rate of the day it was paid."""
    policy.check(user, "margin_record", operator)
    operator = Operator.objects.select_for_update().get(pk=operator.pk)
    if MarginPayment.objects.filter(operator=operator, year=year).exists():
        raise DomainError(_("The margin of %(year)s is already recorded.") % {"year": year}, field="year")
    _not_in_future(paid_on, "paid_on")
    if paid_on.year < year:
        raise DomainError(_("A year's margin is paid once the year has begun."), field="paid_on")
    rate = selectors.rate_on(paid_on)
    if rate is None:
        raise DomainError(_("There is no exchange rate on or before that date."), field="paid_on")
    due_pen = selectors.margin_due_pen(operator, year)
    if due_pen <= 0:
        raise DomainError(_("No margin is due for that year."), field="year")
    amount_usd = to_money(due_pen / rate.pen_per_usd)
    entry = _entry(user=user, operator=operator, day=paid_on, kind=Kind.MARGIN_PAID, amount=due_pen,
                   note=f"{year}: US$ {amount_usd}")  # fmt: skip
    return MarginPayment.objects.create(
        operator=operator, year=year, paid_on=paid_on, amount_usd=amount_usd, pen_per_usd=rate.pen_per_usd,
        amount_pen=due_pen, entry=entry,
    )  # fmt: skip


@transaction.atomic
def fund_close(*, user, operator: Operator, as_of: datetime.date, decision: str, note: str = "") -> FundClosing:
    """Record what is done with the capital left at the end: ceded or returned (it leaves the fund,
    a ledger entry) or reinvested (it stays)."""
    policy.check(user, "fund_close", operator)
    operator = Operator.objects.select_for_update().get(pk=operator.pk)
    if FundClosing.objects.filter(operator=operator).exists():
        raise DomainError(_("The end-of-fund decision of this operator is already recorded."))
    if decision not in FundClosing.Decision.values:
        raise DomainError(_("Unknown decision."), field="decision")
    _not_in_future(as_of, "as_of")
    amount = selectors.fund_position(operator, as_of).available
    entry = None
    if decision != FundClosing.Decision.REINVEST and amount > 0:
        kind = Kind.CAPITAL_CEDED if decision == FundClosing.Decision.CEDE else Kind.CAPITAL_RETURNED
        entry = _entry(user=user, operator=operator, day=as_of, kind=kind, amount=amount, note=(note or "")[:300])
    return FundClosing.objects.create(
        operator=operator, as_of=as_of, decision=decision, amount=amount, note=note or "", entry=entry, decided_by=user
    )


@transaction.atomic
def snapshots_take(*, user, month_end: datetime.date) -> int:
    """Keep each loan's arrears bucket at the end of a month, as asked by a person the policy allows."""
    policy.check(user, "snapshot_take")
    return snapshots_record(month_end=month_end)


@transaction.atomic
def snapshots_record(*, month_end: datetime.date) -> int:
    """Write each loan's arrears snapshot at ``month_end``: the monthly beat task's work, which no person
    asks for (hence no ``user``). Idempotent: running it again rewrites the same rows with the same figures,
    recomputed from the allocations as of that date whatever was paid since."""
    from .arrears import loan_state

    count = 0
    for loan in selectors.loans_for_portfolio(Loan.objects.all()):
        state = loan_state(loan, month_end)
        if state is None:
            continue
        ArrearsSnapshot.objects.update_or_create(
            loan=loan,
            month=month_end,
            defaults={
                "days_late": state.days_late,
                "bucket": state.bucket,
                "outstanding_principal": state.outstanding_principal,
            },
        )
        count += 1
    return count
