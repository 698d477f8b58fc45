"""The fund's writes: every movement in the ledger, exact, once, and refused with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import translation

from clients.models import Need
from clients.services import need_create
from core.exceptions import DomainError, NotAllowed
from credit import selectors, services
from credit.models import Instalment, LedgerEntry, Loan
from credit.tests.factories import applied_loan, borrower, disbursed_loan

pytestmark = pytest.mark.django_db

D = datetime.date
M = Decimal


def ledger(loan):
    return sorted((e.kind, e.amount) for e in LedgerEntry.objects.filter(loan=loan))


def test_disbursing_fixes_the_schedule_and_writes_the_disbursement_and_the_deducted_fee(product, credit_officer):
    loan = disbursed_loan(product, credit_officer, amount=M("1000"), months=6, on=D(2024, 2, 1))
    assert loan.status == Loan.Status.DISBURSED
    assert loan.fee_amount == M("20.00")
    instalments = list(loan.instalments.all())
    assert [i.due_date for i in instalments[:2]] == [D(2024, 3, 1), D(2024, 4, 1)]
    assert sum(i.principal_due for i in instalments) == M("1000.00")
    assert ledger(loan) == [("disbursement", M("1000.00")), ("fee", M("20.00"))]
    assert selectors.fund_position(loan.operator, D(2024, 2, 1)).available == M("100000") - M("1000") + M("20")


def test_a_fee_paid_apart_is_due_with_the_first_instalment_and_collected_first(apart_product, credit_officer):
    loan = disbursed_loan(apart_product, credit_officer, amount=M("1000"), months=6)
    assert ledger(loan) == [("disbursement", M("1000.00"))]
    assert loan.instalments.get(number=1).fee_due == M("20.00")
    services.repayment_post(user=credit_officer, loan=loan, amount=M("30"), date=D(2024, 2, 10), idempotency_key="k1")
    first = loan.instalments.get(number=1)
    assert (first.fee_paid, first.interest_paid, first.principal_paid) == (M("20.00"), M("10.00"), M("0.00"))


def test_disbursing_twice_pays_the_loan_out_once(product, credit_officer):
    loan = disbursed_loan(product, credit_officer)
    again = services.loan_disburse(user=credit_officer, loan=loan, on=D(2024, 2, 5))
    assert again.disbursed_on == D(2024, 2, 1)
    assert LedgerEntry.objects.filter(loan=loan, kind="disbursement").count() == 1
    assert loan.instalments.count() == 6


def test_the_database_refuses_a_second_disbursement_entry_even_past_the_service(product, credit_officer):
    loan = disbursed_loan(product, credit_officer)
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - IntegrityError, whatever the backend
        LedgerEntry.objects.create(operator=loan.operator, date=D(2024, 2, 1), kind="disbursement",
                                   amount=M("1000"), loan=loan, created_by=credit_officer)  # fmt: skip


def test_disbursing_answers_the_borrowers_open_credit_need(product, credit_officer):
    person = borrower(product.operator.centre)
    need = need_create(
        user=credit_officer, centre=person.centre, need_type="credit", source="test", entrepreneur=person
    )
    disbursed_loan(product, credit_officer, entrepreneur=person)
    need.refresh_from_db()
    assert need.status == Need.Status.ANSWERED
    assert need.answered_by.startswith("Loan CR-") or need.answered_by.startswith("Préstamo CR-")


def test_a_loan_cannot_be_paid_out_beyond_what_the_fund_has_available(product, credit_officer, administrator):
    product.max_amount = M("500000")
    product.save()
    loan = applied_loan(product, credit_officer, amount=M("200000"), months=12)
    services.loan_decide(user=credit_officer, loan=loan, approve=True, evaluation="ok", on=D(2024, 2, 1))
    with pytest.raises(DomainError):
        services.loan_disburse(user=credit_officer, loan=loan, on=D(2024, 2, 1))
    assert not LedgerEntry.objects.filter(loan=loan).exists()


def test_a_repayment_goes_to_fee_then_interest_then_principal_of_the_oldest_instalment_first(product, credit_officer):
    loan = disbursed_loan(product, credit_officer, amount=M("1000"), months=6)
    # 187.67 a month; 35.00 interest in the first. 200 pays the first and 12.33 of the second's interest.
    repayment = services.repayment_post(
        user=credit_officer, loan=loan, amount=M("200"), date=D(2024, 3, 1), idempotency_key="a"
    )
    first, second = loan.instalments.all()[:2]
    assert (first.interest_paid, first.principal_paid) == (M("35.00"), M("152.67"))
    assert (second.interest_paid, second.principal_paid) == (M("12.33"), M("0.00"))
    assert sorted((e.kind, e.amount) for e in repayment.ledger.all()) == [
        ("interest", M("47.33")),
        ("principal", M("152.67")),
    ]


def test_posting_the_same_submission_twice_posts_once(product, credit_officer):
    loan = disbursed_loan(product, credit_officer)
    one = services.repayment_post(
        user=credit_officer, loan=loan, amount=M("100"), date=D(2024, 3, 1), idempotency_key="same"
    )
    two = services.repayment_post(
        user=credit_officer, loan=loan, amount=M("100"), date=D(2024, 3, 1), idempotency_key="same"
    )
    assert one.pk == two.pk
    assert loan.repayments.count() == 1
    assert sum(e.amount for e in LedgerEntry.objects.filter(repayment=one)) == M("100.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [(M("0"), "El monto pagado debe ser mayor que cero."), (M("-5"), "El monto pagado debe ser mayor que cero.")],
)
def test_a_repayment_of_zero_or_less_is_refused_in_spanish(product, credit_officer, amount, message):
    loan = disbursed_loan(product, credit_officer)
    with translation.override("es"), pytest.raises(DomainError) as error:
        services.repayment_post(user=credit_officer, loan=loan, amount=amount, date=D(2024, 3, 1), idempotency_key="z")
    assert str(error.value) == message
    assert not loan.repayments.exists()


def test_a_repayment_on_a_loan_not_yet_paid_out_is_refused_in_spanish(product, credit_officer):
    loan = applied_loan(product, credit_officer)
    with translation.override("es"), pytest.raises(DomainError) as error:
        services.repayment_post(user=credit_officer, loan=loan, amount=M("10"), date=D(2024, 3, 1), idempotency_key="x")
    assert "desembolsado" in str(error.value)
    assert not LedgerEntry.objects.filter(loan=loan).exists()


def test_an_overpayment_is_refused_and_paying_everything_closes_the_loan(product, credit_officer):
    loan = disbursed_loan(product, credit_officer, amount=M("1000"), months=2)
    owed = services.outstanding_total(loan.instalments.all())
    with pytest.raises(DomainError):
        services.repayment_post(
            user=credit_officer, loan=loan, amount=owed + M("0.01"), date=D(2024, 3, 1), idempotency_key="o"
        )
    services.repayment_post(user=credit_officer, loan=loan, amount=owed, date=D(2024, 3, 1), idempotency_key="p")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID
    assert all(i.total_paid == i.total_due for i in loan.instalments.all())


def test_payments_are_posted_in_date_order(product, credit_officer):
    loan = disbursed_loan(product, credit_officer)
    services.repayment_post(user=credit_officer, loan=loan, amount=M("50"), date=D(2024, 4, 1), idempotency_key="a")
    with pytest.raises(DomainError):
        services.repayment_post(user=credit_officer, loan=loan, amount=M("50"), date=D(2024, 3, 1), idempotency_key="b")


def test_an_officer_of_another_operator_cannot_post_on_this_loan(product, credit_officer, huancayo):
    from core.tests.factories import UserFactory

    loan = disbursed_loan(product, credit_officer)
    stranger = UserFactory(roles=["credit_officer"], centres=[huancayo])
    with pytest.raises(NotAllowed):
        services.repayment_post(user=stranger, loan=loan, amount=M("50"), date=D(2024, 3, 1), idempotency_key="s")
    assert not selectors.loan_list(user=stranger).exists()
    assert selectors.loan_list(user=credit_officer).get() == loan


def test_a_write_off_takes_the_principal_left_out_of_the_portfolio_and_not_out_of_the_cash(
    product, credit_officer, coordinator, huancayo
):
    coordinator.centres.add(huancayo)
    loan = disbursed_loan(product, credit_officer, amount=M("1000"), months=6)
    services.repayment_post(user=credit_officer, loan=loan, amount=M("187.67"), date=D(2024, 3, 1), idempotency_key="a")
    before = selectors.fund_position(loan.operator, D(2024, 9, 1))
    services.loan_write_off(user=coordinator, loan=loan, on=D(2024, 9, 1), reason="Negocio cerrado")
    after = selectors.fund_position(loan.operator, D(2024, 9, 1))
    assert after.write_off == M("847.33")
    assert after.outstanding_principal == before.outstanding_principal - M("847.33")
    assert after.available == before.available
    with pytest.raises(DomainError):
        services.repayment_post(user=credit_officer, loan=loan, amount=M("10"), date=D(2024, 9, 2), idempotency_key="b")


def test_a_credit_officer_cannot_write_a_loan_off(product, credit_officer):
    loan = disbursed_loan(product, credit_officer)
    with pytest.raises(NotAllowed):
        services.loan_write_off(user=credit_officer, loan=loan, on=D(2024, 9, 1), reason="x")


def test_a_ledger_entry_is_never_changed_nor_deleted_through_the_model(operator):
    entry = LedgerEntry.objects.get(operator=operator)
    entry.amount = M("1")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=M("1"))
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_the_database_refuses_to_change_a_ledger_entry(operator):
    entry = LedgerEntry.objects.get(operator=operator)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE credit_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == M("100000.00")


def test_the_database_refuses_to_delete_a_ledger_entry(operator):
    if connection.vendor != "postgresql":
        pytest.skip("the DELETE guard is PostgreSQL's: Django empties SQLite test tables with DELETE")
    entry = LedgerEntry.objects.get(operator=operator)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM credit_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_a_mistaken_capital_entry_is_corrected_by_a_reversal_pointing_to_it(operator, administrator):
    entry = LedgerEntry.objects.get(operator=operator)
    reversal = services.entry_reverse(user=administrator, entry=entry, date=D(2024, 1, 3), reason="Monto errado")
    assert reversal.reverses == entry and reversal.amount == -entry.amount
    assert selectors.fund_position(operator, D(2024, 1, 3)).capital == 0
    assert selectors.fund_position(operator, D(2024, 1, 2)).capital == M("100000")
    with pytest.raises(DomainError):
        services.entry_reverse(user=administrator, entry=entry, date=D(2024, 1, 3), reason="otra vez")
    with pytest.raises(DomainError):
        services.entry_reverse(user=administrator, entry=reversal, date=D(2024, 1, 3), reason="y otra")


def test_the_margin_is_three_percent_a_year_of_the_capital_for_the_days_it_was_placed(operator, administrator):
    from credit.models import ExchangeRate

    # 100,000 placed on 2 January 2024 (a leap year): 365 of 366 days.
    assert selectors.margin_due_pen(operator, 2024) == M("2991.80")
    assert selectors.margin_due_pen(operator, 2025) == M("3000.00")
    ExchangeRate.objects.create(date=D(2025, 1, 10), pen_per_usd=M("3.75"))
    payment = services.margin_record(user=administrator, operator=operator, year=2024, paid_on=D(2025, 1, 15))
    assert payment.amount_usd == M("797.81")
    assert selectors.fund_position(operator, D(2025, 1, 15)).margin_paid == M("2991.80")
    with pytest.raises(DomainError):
        services.margin_record(user=administrator, operator=operator, year=2024, paid_on=D(2025, 1, 16))


def test_returning_the_capital_at_the_end_leaves_nothing_available(operator, administrator):
    closing = services.fund_close(user=administrator, operator=operator, as_of=D(2025, 1, 1), decision="return")
    assert closing.amount == M("100000.00")
    assert selectors.fund_position(operator, D(2025, 1, 1)).available == 0


def test_instalments_paid_equal_the_sum_of_their_allocations(product, credit_officer):
    loan = disbursed_loan(product, credit_officer)
    for n, amount in enumerate([M("120"), M("300.5"), M("87.12")]):
        services.repayment_post(
            user=credit_officer, loan=loan, amount=amount, date=D(2024, 3, 1 + n), idempotency_key=str(n)
        )
    for instalment in Instalment.objects.filter(loan=loan).prefetch_related("allocations"):
        assert instalment.principal_paid == sum((a.principal for a in instalment.allocations.all()), M("0"))
        assert instalment.interest_paid == sum((a.interest for a in instalment.allocations.all()), M("0"))
