"""A loan's history page and the credit officer's home-page panel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from credit import selectors, services
from credit.tests.factories import applied_loan, disbursed_loan

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_loan_history_shows_each_change_of_status(client_for, product, credit_officer, national_manager):
    loan = applied_loan(product, credit_officer)
    services.loan_decide(user=credit_officer, loan=loan, approve=True, evaluation="ok", on=D(2024, 2, 1))
    response = client_for(national_manager).get(reverse("credit:loan_history", args=[loan.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    changes = [change for row in response.context["rows"] for change in row["changes"]]
    assert ("applied", "approved") in [(c["old"], c["new"]) for c in changes]


def test_the_loan_history_is_for_auditors_not_the_desk_or_the_officer(client_for, product, credit_officer, front_desk):
    loan = applied_loan(product, credit_officer)
    assert client_for(front_desk).get(reverse("credit:loan_history", args=[loan.pk])).status_code == 403
    officer = client_for(credit_officer)
    assert officer.get(reverse("credit:loan_history", args=[loan.pk])).status_code == 403
    page = officer.get(reverse("credit:loan_detail", args=[loan.pk])).content.decode()
    assert reverse("credit:loan_history", args=[loan.pk]) not in page


def test_the_officers_panel_lists_loans_in_arrears_first_then_those_due_this_week(product, credit_officer):
    late = disbursed_loan(product, credit_officer, on=D(2024, 2, 1))
    due_soon = disbursed_loan(product, credit_officer, on=D(2024, 3, 1))
    quiet = disbursed_loan(product, credit_officer, on=D(2024, 3, 20))
    services.repayment_post(user=credit_officer, loan=quiet, amount=Decimal("10"), date=D(2024, 3, 20),
                            idempotency_key="k")  # fmt: skip
    items = selectors.officer_work_panel(credit_officer, today=D(2024, 3, 28))
    texts = [text for text, _url in items]
    assert len(items) == 2
    assert texts[0].startswith(late.code) and texts[0].endswith("27 días de atraso")
    assert texts[1].startswith(due_soon.code) and texts[1].endswith("vence el 01/04/2024")
    assert items[0][1] == reverse("credit:loan_detail", args=[late.pk])


def test_the_panel_shows_on_the_credit_officers_home_page_only(client_for, product, credit_officer, coordinator):
    disbursed_loan(product, credit_officer, on=D(2024, 2, 1))
    title = "Préstamos a seguir"
    assert title in client_for(credit_officer).get("/").content.decode()
    assert title not in client_for(coordinator).get("/").content.decode()
