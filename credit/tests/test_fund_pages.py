"""The fund keeper's pages: placing capital, the margin, the end-of-fund statement and its PDF."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import ReportJob
from credit.models import ExchangeRate, FundClosing, LedgerEntry, MarginPayment, Tranche
from credit.tests.factories import disbursed_loan

pytestmark = pytest.mark.django_db

D = datetime.date
M = Decimal


def _figure(response, name):
    html = response.content.decode()
    start = html.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
    return html[start : html.index("<", start)]


def test_the_administrator_places_capital_from_the_statement_page(client_for, administrator, operator):
    response = client_for(administrator).post(
        reverse("credit:tranche_place", args=[operator.pk]),
        {"tranche-date": "2024-03-01", "tranche-amount": "25000", "tranche-currency": "PEN", "tranche-note": "2.º"},
    )
    assert response.status_code == 302
    tranche = Tranche.objects.get(operator=operator, date=D(2024, 3, 1))
    assert tranche.amount == M("25000")
    assert LedgerEntry.objects.get(tranche=tranche).kind == "capital_in"


def test_a_credit_officer_cannot_place_capital_nor_record_the_margin_or_the_end_of_the_fund(
    client_for, credit_officer, operator
):
    client = client_for(credit_officer)
    before = Tranche.objects.count()
    assert client.post(reverse("credit:tranche_place", args=[operator.pk]), {"tranche-amount": "5"}).status_code == 403
    assert client.post(reverse("credit:margin_record", args=[operator.pk]), {}).status_code == 403
    assert client.post(reverse("credit:fund_close", args=[operator.pk]), {}).status_code == 403
    assert Tranche.objects.count() == before
    page = client.get(reverse("credit:fund_statement", args=[operator.pk]))
    assert page.context["tranche_form"] is None and page.context["close_form"] is None


def test_the_administrator_records_a_years_margin_in_dollars(client_for, administrator, operator):
    ExchangeRate.objects.create(date=D(2025, 1, 2), pen_per_usd=M("3.75"))
    client_for(administrator).post(
        reverse("credit:margin_record", args=[operator.pk]), {"margin-year": "2024", "margin-paid_on": "2025-01-10"}
    )
    payment = MarginPayment.objects.get(operator=operator, year=2024)
    assert payment.pen_per_usd == M("3.75") and payment.amount_usd > 0


def test_a_refused_margin_shows_the_services_message_and_records_nothing(client_for, administrator, operator):
    response = client_for(administrator).post(
        reverse("credit:margin_record", args=[operator.pk]),
        {"margin-year": "2024", "margin-paid_on": "2025-01-10"},
        follow=True,
    )
    assert "No hay tipo de cambio" in response.content.decode() or "There is no exchange rate" in str(
        list(response.context["messages"])
    )
    assert not MarginPayment.objects.exists()


def test_the_statement_at_a_chosen_date_counts_only_what_happened_by_then(
    client_for, administrator, operator, product, credit_officer
):
    disbursed_loan(product, credit_officer, amount=M("1000"), on=D(2024, 2, 1))
    client = client_for(administrator)
    url = reverse("credit:fund_statement", args=[operator.pk])
    assert _figure(client.get(url + "?as_of=2024-01-31"), "disbursed") == "S/ 0.00"
    assert _figure(client.get(url + "?as_of=2024-02-01"), "disbursed") == "S/ 1,000.00"
    assert _figure(client.get(url + "?as_of=2024-02-01"), "fees") == "S/ 20.00"
    assert _figure(client.get(url + "?as_of=2024-02-01"), "available") == "S/ 99,020.00"


def test_returning_the_capital_records_the_decision_and_takes_the_money_out_of_the_fund(
    client_for, administrator, operator
):
    client = client_for(administrator)
    client.post(
        reverse("credit:fund_close", args=[operator.pk]),
        {"close-as_of": "2024-06-30", "close-decision": "return", "close-note": "Fin del proyecto"},
    )
    closing = FundClosing.objects.get(operator=operator)
    assert closing.amount == M("100000") and closing.entry.kind == "capital_returned"
    page = client.get(reverse("credit:fund_statement", args=[operator.pk]) + "?as_of=2024-06-30")
    assert _figure(page, "available") == "S/ 0.00"
    assert _figure(page, "decision") == "Devolver al proyecto"
    assert page.context["close_form"] is None


def test_the_statement_prints_as_a_pdf_at_the_decision_date(
    client_for, administrator, operator, django_capture_on_commit_callbacks
):
    client = client_for(administrator)
    client.post(
        reverse("credit:fund_close", args=[operator.pk]),
        {"close-as_of": "2024-06-30", "close-decision": "reinvest"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_request", args=["credit.fund_statement", operator.pk]))
    assert response.status_code == 302
    job = ReportJob.objects.get(kind="credit.fund_statement")
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.file.read(4) == b"%PDF"


def test_the_statement_prints_at_the_date_chosen_on_the_page(
    client_for, administrator, operator, django_capture_on_commit_callbacks
):
    from core.pdftext import pdf_text

    client = client_for(administrator)
    client.post(
        reverse("credit:tranche_place", args=[operator.pk]),
        {"tranche-date": "2024-03-01", "tranche-amount": "25000", "tranche-currency": "PEN"},
    )
    page = client.get(reverse("credit:fund_statement", args=[operator.pk]) + "?as_of=2024-02-01")
    assert 'name="param-as_of" value="2024-02-01"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("report_request", args=["credit.fund_statement", operator.pk]), {"param-as_of": "2024-02-01"}
        )
    job = ReportJob.objects.get(kind="credit.fund_statement")
    assert job.parameters == {"as_of": "2024-02-01"} and job.status == ReportJob.Status.DONE, job.error
    text = pdf_text(job.file.read())
    assert "Balance al 1 de febrero de 2024" in text
    assert "S/ 100,000.00" in text and "125,000.00" not in text  # the first tranche only, not March's


def test_a_statement_at_a_future_or_unreadable_date_is_refused_in_spanish(client_for, administrator, operator):
    client = client_for(administrator)
    url = reverse("report_request", args=["credit.fund_statement", operator.pk])
    response = client.post(url, {"param-as_of": "2999-01-01"}, follow=True, HTTP_REFERER="/credit/fund/")
    assert "El balance no puede calcularse a una fecha futura." in response.content.decode()
    response = client.post(url, {"param-as_of": "31/02/2024"}, follow=True, HTTP_REFERER="/credit/fund/")
    assert "La fecha del balance no es una fecha válida." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_an_officer_of_another_operator_cannot_open_or_print_the_statement(client_for, operator, huancayo):
    from core.tests.factories import UserFactory
    from credit.tests.factories import ProductFactory

    other = UserFactory(roles=["credit_officer"], centres=[huancayo])
    ProductFactory(operator__officers=[other], operator__centre=huancayo)
    client = client_for(other)
    assert client.get(reverse("credit:fund_statement", args=[operator.pk])).status_code == 404
    assert client.post(reverse("report_request", args=["credit.fund_statement", operator.pk])).status_code == 404


def _capital(operator):
    return LedgerEntry.objects.get(operator=operator, kind="capital_in")


def test_the_administrator_reverses_a_mistaken_capital_entry_from_the_statement_page(
    client_for, administrator, operator
):
    entry = _capital(operator)
    client = client_for(administrator)
    page = client.get(reverse("credit:fund_statement", args=[operator.pk]))
    assert reverse("credit:entry_reverse", args=[entry.pk]) in page.content.decode()
    response = client.post(
        reverse("credit:entry_reverse", args=[entry.pk]),
        {"reverse-date": "2024-01-05", "reverse-reason": "Monto equivocado"},
        follow=True,
    )
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert reversal.amount == -entry.amount and reversal.note == "Monto equivocado"
    assert "Asiento revertido." in response.content.decode()
    # Reversed once: the page offers it no more, and a second post (a double click) adds nothing.
    assert reverse("credit:entry_reverse", args=[entry.pk]) not in response.content.decode()
    again = client.post(
        reverse("credit:entry_reverse", args=[entry.pk]),
        {"reverse-date": "2024-01-05", "reverse-reason": "Monto equivocado"},
        follow=True,
    )
    assert "Este asiento ya fue revertido." in again.content.decode()
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1


def test_a_reversal_without_a_reason_is_refused_in_spanish_and_posts_nothing(client_for, administrator, operator):
    entry = _capital(operator)
    response = client_for(administrator).post(
        reverse("credit:entry_reverse", args=[entry.pk]), {"reverse-date": "2024-01-05"}, follow=True
    )
    assert "Este campo es requerido." in response.content.decode()
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


def test_the_api_reverses_an_entry_and_refuses_a_loans_entry(client_for, administrator, product, credit_officer):
    loan = disbursed_loan(product, credit_officer)
    disbursement = LedgerEntry.objects.get(loan=loan, kind="disbursement")
    client = client_for(administrator)
    refused = client.post(
        reverse("ledger-reverse", args=[disbursement.pk]),
        {"date": "2024-03-01", "reason": "x"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert refused.status_code == 400
    assert "préstamo" in str(refused.json())
    assert not LedgerEntry.objects.filter(reverses=disbursement).exists()
    entry = _capital(product.operator)
    response = client.post(reverse("ledger-reverse", args=[entry.pk]), {"date": "2024-01-04", "reason": "Duplicado"})
    assert response.status_code == 201
    assert M(response.json()["amount"]) == -entry.amount and response.json()["reverses"] == entry.pk


def test_a_credit_officer_cannot_reverse_an_entry(client_for, credit_officer, operator):
    entry = _capital(operator)
    client = client_for(credit_officer)
    data = {"reverse-date": "2024-01-05", "reverse-reason": "x"}
    assert client.post(reverse("credit:entry_reverse", args=[entry.pk]), data).status_code == 403
    assert (
        client.post(reverse("ledger-reverse", args=[entry.pk]), {"date": "2024-01-05", "reason": "x"}).status_code
        == 403
    )
    assert not LedgerEntry.objects.filter(reverses=entry).exists()
