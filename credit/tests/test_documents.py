"""The credit documents read back from the PDF: schedule, loan statement, the operator's fund statement."""

import datetime
from decimal import Decimal

import pytest

from clients.tests.factories import CompanyFactory, EntrepreneurFactory
from core.models import ReportJob
from core.pdftext import pdf_text
from core.reports import report_request
from credit.services import repayment_post
from credit.tests.factories import disbursed_loan

pytestmark = pytest.mark.django_db


def _text(user, kind, pk, capture) -> str:
    with capture(execute=True):
        job = report_request(user=user, kind=kind, object_id=pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    return " ".join(pdf_text(job.file.read()).split())


@pytest.fixture
def loan(product, credit_officer, huancayo):
    company = CompanyFactory(centre=huancayo, legal_name="Quesos Mantaro SAC")
    person = EntrepreneurFactory(
        centre=huancayo, company=company, first_name="Elena", last_name="Rojas", dni="20456789"
    )
    loan = disbursed_loan(
        product, credit_officer, amount=Decimal("3000"), months=6, entrepreneur=person, company=company
    )
    repayment_post(
        user=credit_officer, loan=loan, amount=Decimal("600"), date=datetime.date(2024, 3, 1), idempotency_key="k1"
    )
    return loan


def test_the_repayment_schedule_prints_every_instalment_and_the_totals(
    loan, credit_officer, django_capture_on_commit_callbacks
):
    text = _text(credit_officer, "credit.schedule", loan.pk, django_capture_on_commit_callbacks)
    instalments = list(loan.instalments.order_by("number"))

    assert "Cronograma de pagos" in text and loan.code in text
    assert "Elena Rojas" in text and "Quesos Mantaro SAC" in text and "S/ 3,000.00" in text
    for i in instalments:
        assert f"{i.due_date:%d/%m/%Y}" in text
    total = sum((i.total_due for i in instalments), Decimal(0))
    assert f"S/ {total:,.2f}" in text


def test_the_loan_statement_prints_payments_and_what_is_left(loan, credit_officer, django_capture_on_commit_callbacks):
    text = _text(credit_officer, "credit.statement", loan.pk, django_capture_on_commit_callbacks)
    instalments = list(loan.instalments.all())
    left = sum((i.total_due - i.total_paid for i in instalments), Decimal(0))

    assert "Estado de cuenta" in text and "Quesos Mantaro SAC" in text
    assert "01/03/2024 S/ 600.00" in text
    assert f"S/ {left:,.2f}" in text


def test_the_fund_statement_prints_the_operators_position(operator, administrator, django_capture_on_commit_callbacks):
    text = _text(administrator, "credit.fund_statement", operator.pk, django_capture_on_commit_callbacks)

    assert str(operator) in text and "S/ 100,000.00" in text
    assert "Página 1 de" in text and "CentroPyME Huancayo" in text
