"""Pages and API of the fund: who may, constant queries, PAR on a hand-built portfolio, the simulator."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credit import arrears, selectors, services
from credit.tests.factories import ProductFactory, bulk_disbursed_loans, disbursed_loan

pytestmark = pytest.mark.django_db

D = datetime.date
M = Decimal


def test_par30_and_delinquency_on_a_hand_built_portfolio_equal_the_hand_computed_figures(product, credit_officer):
    on_time = disbursed_loan(product, credit_officer, amount=M("1000"), months=6, on=D(2024, 2, 1))
    late_10 = disbursed_loan(product, credit_officer, amount=M("2000"), months=6, on=D(2024, 2, 1))
    late_40 = disbursed_loan(product, credit_officer, amount=M("3000"), months=6, on=D(2024, 1, 2))
    # On 11 April: on_time paid March and April; late_10 paid March only (1 April unpaid: 10 days).
    # late_40 (paid out 2 January) never paid: its 2 February instalment is 69 days late on 11 April.
    for loan, amounts in ((on_time, ["187.67", "187.67"]), (late_10, ["375.34"])):
        for n, amount in enumerate(amounts):
            services.repayment_post(user=credit_officer, loan=loan, amount=M(amount), date=D(2024, 3 + n, 1),
                                    idempotency_key=f"{loan.pk}-{n}")  # fmt: skip
    portfolio = arrears.portfolio(selectors.loans_for_portfolio(type(on_time).objects.all()), D(2024, 4, 11))
    states = {s.loan.pk: s for s in portfolio.states}
    assert states[late_10.pk].days_late == 10
    assert states[late_40.pk].days_late == 69
    assert states[on_time.pk].days_late == 0
    outstanding = {pk: s.outstanding_principal for pk, s in states.items()}
    assert portfolio.outstanding == sum(outstanding.values())
    expected_par30 = (outstanding[late_40.pk] * 100 / portfolio.outstanding).quantize(M("0.01"))
    expected_par1 = ((outstanding[late_40.pk] + outstanding[late_10.pk]) * 100 / portfolio.outstanding).quantize(
        M("0.01")
    )
    assert portfolio.par(30) == expected_par30
    assert portfolio.par(0) == expected_par1
    # As of a past date: on 5 March late_40 was 32 days late; late_10 had paid on 1 March: up to date.
    past = arrears.portfolio(selectors.loans_for_portfolio(type(on_time).objects.all()), D(2024, 3, 5))
    assert {s.loan.pk: s.days_late for s in past.states}[late_40.pk] == 32
    assert {s.loan.pk: s.days_late for s in past.states}[late_10.pk] == 0


def test_the_simulator_api_answers_the_schedule_with_amounts_as_strings(client_for, credit_officer):
    url = reverse("credit-simulate") + "?principal=1000&monthly_rate=3.5&months=6&method=declining&fee_rate=2"
    body = client_for(credit_officer).get(url).json()
    assert body["fee"] == "20.00"
    assert body["installments"][0] == {
        "number": 1, "payment": "187.67", "interest": "35.00", "principal": "152.67", "balance": "847.33"
    }  # fmt: skip
    assert body["principal"] == "1000.00"


def test_the_simulator_api_refuses_bad_parameters_field_by_field(client_for, credit_officer):
    response = client_for(credit_officer).get(reverse("credit-simulate") + "?principal=-1&months=0&method=x")
    assert response.status_code == 400
    assert {"principal", "months", "method", "monthly_rate"} <= set(response.json())


def test_a_front_desk_user_cannot_open_the_loans(client_for, front_desk):
    assert client_for(front_desk).get(reverse("credit:loan_list")).status_code == 403


def test_the_loan_list_and_the_fund_pages_run_the_same_number_of_queries_with_10_and_1000_loans(
    client_for, product, credit_officer, operator
):
    client = client_for(credit_officer)
    urls = (
        reverse("credit:loan_list"),
        reverse("credit:fund_position"),
        reverse("credit:fund_statement", args=[operator.pk]),
    )

    def measure():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    bulk_disbursed_loans(product, credit_officer, 10)
    few = measure()
    bulk_disbursed_loans(product, credit_officer, 990)
    response = client.get(reverse("credit:fund_position"))
    assert len(response.context["portfolio"].active) == 1000
    assert response.context["portfolio"].outstanding == M("500") * 1000
    assert measure() == few


def test_a_credit_officer_of_another_operator_gets_a_404_on_the_loan(client_for, product, credit_officer, huancayo):
    from core.tests.factories import UserFactory

    loan = disbursed_loan(product, credit_officer)
    other = UserFactory(roles=["credit_officer"], centres=[huancayo])
    ProductFactory(operator__officers=[other], operator__centre=huancayo)
    assert client_for(other).get(reverse("credit:loan_detail", args=[loan.pk])).status_code == 404
    assert client_for(other).get(reverse("loan-detail", args=[loan.pk])).status_code == 404


def test_the_company_file_shows_its_loans_only_to_those_who_may_open_them(
    product, credit_officer, client_for, huancayo
):
    from clients.tests.factories import CompanyFactory, EntrepreneurFactory
    from core.tests.factories import UserFactory

    company = CompanyFactory(centre=huancayo)
    loan = disbursed_loan(product, credit_officer, entrepreneur=EntrepreneurFactory(centre=huancayo, company=company))
    link = reverse("credit:loan_detail", args=[loan.pk])
    file = reverse("clients:company_detail", args=[company.pk])
    promoter = UserFactory(roles=["promoter"], centres=[huancayo])  # reads the file, not the credit fund
    assert client_for(credit_officer).get(file).content.decode().count(link) == 1
    event = next(e for e in client_for(credit_officer).get(file).context["timeline"] if e.url == link)
    assert event.title == f"{loan.code} · {loan.amount} (Desembolsado)"
    assert event.date == loan.disbursed_on
    page = client_for(promoter).get(file)
    assert page.status_code == 200
    assert link not in page.content.decode()
    assert client_for(promoter).get(link).status_code == 403
