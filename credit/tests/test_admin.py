"""The fund's catalogues in the admin: product defaults from the centre's settings, a read-only ledger."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import CentreSettings
from credit.models import LedgerEntry, LoanProduct

pytestmark = pytest.mark.django_db


def _product_form(operator, **extra):
    data = {
        "operator": operator.pk, "name": "Activo fijo", "fee_mode": "deducted", "method": "declining",
        "min_amount": "500", "max_amount": "10000", "min_term": "1", "max_term": "12", "for_working_capital": "on",
        "max_grace_months": "0", "is_active": "on",
    }  # fmt: skip
    data.update(extra)
    return data


def test_a_product_saved_without_rate_or_fee_takes_the_centres_defaults(admin_client, operator):
    CentreSettings.objects.create(
        centre=operator.centre, credit_default_monthly_rate=Decimal("2.75"), credit_default_fee_rate=Decimal("1.5")
    )
    response = admin_client.post(reverse("admin:credit_loanproduct_add"), _product_form(operator))
    assert response.status_code == 302, response.context["adminform"].form.errors
    product = LoanProduct.objects.get(name="Activo fijo")
    assert (product.monthly_rate, product.fee_rate) == (Decimal("2.75"), Decimal("1.5"))


def test_a_rate_given_in_the_admin_is_kept(admin_client, operator):
    admin_client.post(reverse("admin:credit_loanproduct_add"), _product_form(operator, monthly_rate="4", fee_rate="0"))
    product = LoanProduct.objects.get(name="Activo fijo")
    assert (product.monthly_rate, product.fee_rate) == (Decimal("4"), Decimal("0"))


def test_the_ledger_can_be_read_in_the_admin_but_never_added_changed_or_deleted(admin_client, operator):
    entry = LedgerEntry.objects.filter(operator=operator).first()
    assert admin_client.get(reverse("admin:credit_ledgerentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:credit_ledgerentry_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:credit_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    changed = admin_client.post(reverse("admin:credit_ledgerentry_change", args=[entry.pk]), {"amount": "1"})
    assert changed.status_code == 403
    assert LedgerEntry.objects.get(pk=entry.pk).amount == entry.amount


def test_loans_and_repayments_can_be_read_in_the_admin_with_their_schedule_but_not_changed(
    admin_client, product, credit_officer
):
    from credit.services import repayment_post
    from credit.tests.factories import disbursed_loan

    loan = disbursed_loan(product, credit_officer, months=4)
    payment = repayment_post(
        user=credit_officer, loan=loan, amount=Decimal("100"), date=loan.disbursed_on, idempotency_key="adm-1"
    )
    assert loan.entrepreneur.last_name in admin_client.get(reverse("admin:credit_loan_changelist")).content.decode()
    page = admin_client.get(reverse("admin:credit_loan_change", args=[loan.pk]))
    assert page.status_code == 200 and page.content.decode().count("instalments-") >= 4  # the schedule inline
    assert admin_client.get(reverse("admin:credit_repayment_change", args=[payment.pk])).status_code == 200
    assert admin_client.get(reverse("admin:credit_loan_add")).status_code == 403
    changed = admin_client.post(reverse("admin:credit_loan_change", args=[loan.pk]), {"amount": "1"})
    assert changed.status_code == 403
    assert (
        admin_client.post(reverse("admin:credit_repayment_delete", args=[payment.pk]), {"post": "yes"}).status_code
        == 403
    )
