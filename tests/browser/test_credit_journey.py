"""A loan from application to its first payment, each step by the role the policy names, and the
fund's pages reflecting it."""

import datetime

import pytest
from django.utils import timezone

from clients.models import Entrepreneur
from core.models import User
from core.money import format_money
from credit import selectors
from credit.models import Loan, Operator
from credit.permissions import policy

from .conftest import log_in, snapshot


def _as(browser, live_server, username):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="es-PE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")
    return page


def _dd(page, section, label):
    """The figure next to ``label`` in the operator's card of the fund page."""
    card = page.locator("section.card", has=page.get_by_role("heading", name=section))
    return card.locator(f"dt:text-is('{label}') + dd").inner_text()


@pytest.mark.django_db(transaction=True)
def test_a_credit_officer_takes_a_loan_from_application_to_its_first_payment(browser, live_server, demo_users):
    officer = User.objects.get(username="credito")
    gcod = Operator.objects.get(name="GCOD")
    # The policy decides who approves and pays out: the credit officer of the operator.
    assert {"loan_decide", "loan_disburse"} <= policy.allowed(officer, gcod)
    person = Entrepreneur.objects.filter(centre=gcod.centre).order_by("-pk").first()
    today = timezone.localdate()
    applied_on = today - datetime.timedelta(days=45)  # the first instalment fell due about 15 days ago
    before = selectors.fund_position(gcod, today)

    page = _as(browser, live_server, "credito")
    page.goto(f"{live_server.url}/credit/new/")
    page.select_option("#id_product", label=str(gcod.products.get()))
    page.select_option("#id_entrepreneur", value=str(person.pk))
    page.fill("#id_amount", "2400")
    page.fill("#id_term_months", "6")
    page.select_option("#id_purpose", "working_capital")
    page.fill("#id_guarantee", "Horno industrial")
    page.fill("#id_applied_on", applied_on.isoformat())
    page.get_by_role("button", name="Guardar la solicitud").click()
    page.get_by_text("registrada.").first.wait_for()
    loan = Loan.objects.get(entrepreneur=person, amount=2400)

    page.select_option("#id_approve", "1")
    page.fill("#id_evaluation", "Ventas estables, horno como garantía")
    page.fill("#id_on", applied_on.isoformat())
    page.get_by_role("button", name="Registrar la decisión").click()
    page.get_by_text("Decisión registrada.").wait_for()

    page.fill("#id_on", applied_on.isoformat())
    page.get_by_role("button", name="Desembolsar el préstamo").click()
    page.get_by_text("Préstamo desembolsado.").wait_for()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DISBURSED and loan.instalments.count() == 6
    first = loan.instalments.get(number=1)
    late = (today - first.due_date).days
    assert page.locator("#arrears").inner_text().startswith(f"{late} días de atraso")

    page.fill("#id_amount", str(first.total_due))
    page.fill("#id_date", today.isoformat())
    page.get_by_role("button", name="Registrar el pago").click()
    page.get_by_text("Pago registrado.").wait_for()
    assert "Al día." in page.locator("#arrears").inner_text()
    snapshot(page, "credit-loan-after-payment-phone.png")

    page.goto(f"{live_server.url}/credit/fund/")
    assert _dd(page, "GCOD", "Desembolsado") == format_money(before.disbursement + 2400)
    assert _dd(page, "GCOD", "Capital recuperado") == format_money(before.principal + first.principal_due)
    expected_income = before.income + first.interest_due + loan.fee_amount
    assert _dd(page, "GCOD", "Intereses y derechos ganados") == format_money(expected_income)
    page.context.close()
