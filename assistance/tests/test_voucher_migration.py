"""The data migration that turns the voucher codes kept by funding lines into funds' voucher records."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from assistance.models import FundingLine
from assistance.tests.factories import ServiceFactory
from clients.tests.factories import CompanyFactory
from funds.models import Voucher

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assistance.migrations.0007_voucher_codes_become_funds_vouchers")


def test_each_code_becomes_one_voucher_redeemed_by_the_line_that_holds_it(lima):
    held_by = ServiceFactory(company=CompanyFactory(centre=lima))
    cancelled = ServiceFactory(company=CompanyFactory(centre=lima))
    FundingLine.objects.create(service=cancelled, kind="voucher", voucher_code="BP-1", amount=Decimal("80"),
                               voucher_released_at=timezone.now())  # fmt: skip
    line = FundingLine.objects.create(service=held_by, kind="voucher", voucher_code="BP-1", amount=Decimal("120"))
    FundingLine.objects.create(service=cancelled, kind="voucher", voucher_code="bp-2", amount=Decimal("50"),
                               voucher_released_at=timezone.now())  # fmt: skip
    FundingLine.objects.create(service=held_by, kind="subsidy", amount=Decimal("10"))

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # running it again adds nothing

    first, second = Voucher.objects.order_by("code")
    assert (first.code, first.status, first.redeemed_for) == ("BP-1", "redeemed", f"assistance.fundingline:{line.pk}")
    assert (first.holder_company, first.amount, first.redeemed_amount) == (held_by.company, Decimal("120.00"),
                                                                           Decimal("120.00"))  # fmt: skip
    assert (second.code, second.status, second.redeemed_for) == ("BP-2", "available", "")
    assert second.holder_company == cancelled.company
    assert second.valid_until > timezone.localdate()
    assert Voucher.objects.count() == 2
