"""Vouchers: redeemed once, within validity, within their amount and the cost, by their holder."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from clients.tests.factories import CompanyFactory, EntrepreneurFactory
from core.exceptions import DomainError, NotAllowed
from funds.models import Voucher
from funds.services import voucher_issue, voucher_redeem, voucher_release
from funds.tests.factories import ProgrammeFactory, voucher_for

pytestmark = pytest.mark.django_db

D = datetime.date
M = Decimal
ON = D(2026, 6, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def company(lima):
    return CompanyFactory(centre=lima)


@pytest.fixture
def voucher(company):
    return voucher_for(company, "BP-100", "500", valid_from=D(2026, 1, 1), valid_until=D(2026, 12, 31))


def redeem(user, **kwargs):
    args = {"code": "BP-100", "amount": M("500"), "reference": "assistance.fundingline:1", "on": ON}
    return voucher_redeem(user=user, **{**args, **kwargs})


def test_a_voucher_is_redeemed_once_for_what_it_paid(promoter, voucher):
    redeemed = redeem(promoter, code=" bp-100 ", amount=M("320.50"))

    assert redeemed.status == Voucher.Status.REDEEMED
    assert redeemed.redeemed_amount == M("320.50")
    assert redeemed.redeemed_for == "assistance.fundingline:1"
    assert redeemed.redeemed_by == promoter
    with pytest.raises(DomainError, match="already used"):
        redeem(promoter, reference="training.enrolment:7")
    voucher.refresh_from_db()
    assert voucher.redeemed_for == "assistance.fundingline:1"


@pytest.mark.parametrize(
    ("on", "ok"),
    [(D(2025, 12, 31), False), (D(2026, 1, 1), True), (D(2026, 12, 31), True), (D(2027, 1, 1), False)],
    ids=["day-before-valid", "first-valid-day", "last-valid-day", "day-after-expiry"],
)
def test_a_voucher_is_redeemed_only_within_its_validity(promoter, voucher, on, ok):
    if ok:
        assert redeem(promoter, on=on).status == Voucher.Status.REDEEMED
    else:
        with pytest.raises(DomainError, match="valid from|expired"):
            redeem(promoter, on=on)
        voucher.refresh_from_db()
        assert voucher.status == Voucher.Status.AVAILABLE


@pytest.mark.parametrize(("amount", "ok"), [("499.99", True), ("500.00", True), ("500.01", False)])
def test_a_voucher_pays_at_most_its_amount(promoter, voucher, amount, ok):
    if ok:
        assert redeem(promoter, amount=M(amount)).redeemed_amount == M(amount)
    else:
        with pytest.raises(DomainError, match="is worth S/ 500.00") as refusal:
            redeem(promoter, amount=M(amount))
        assert refusal.value.field == "amount"


@pytest.mark.parametrize(("cost", "ok"), [("300.00", True), ("299.99", False)])
def test_a_voucher_pays_at_most_what_is_left_of_the_cost(promoter, voucher, cost, ok):
    if ok:
        assert redeem(promoter, amount=M("300"), cost=M(cost)).status == Voucher.Status.REDEEMED
    else:
        with pytest.raises(DomainError, match="left to pay"):
            redeem(promoter, amount=M("300"), cost=M(cost))


def test_only_its_holder_uses_a_voucher(promoter, voucher, company, lima):
    with pytest.raises(DomainError, match="belongs to"):
        redeem(promoter, company=CompanyFactory(centre=lima))
    assert redeem(promoter, company=company).status == Voucher.Status.REDEEMED


def test_a_voucher_held_by_a_person_pays_a_course_of_that_person(promoter, lima):
    person = EntrepreneurFactory(centre=lima)
    programme = ProgrammeFactory(centre=lima)
    voucher_issue(
        user=_coordinator(lima), programme=programme, code="cur-1", amount=M("80"),
        valid_from=D(2026, 1, 1), valid_until=D(2026, 12, 31), holder_entrepreneur=person,
    )  # fmt: skip
    with pytest.raises(DomainError, match="belongs to"):
        redeem(promoter, code="CUR-1", amount=M("80"), entrepreneur=EntrepreneurFactory(centre=lima))
    assert redeem(promoter, code="CUR-1", amount=M("80"), entrepreneur=person).status == Voucher.Status.REDEEMED


def test_an_unknown_or_another_centres_voucher_is_not_found(promoter, huancayo):
    voucher_for(CompanyFactory(centre=huancayo), "HYO-1")
    for code in ("NOPE", "HYO-1"):
        with pytest.raises(DomainError, match="no voucher"):
            redeem(promoter, code=code)


def test_releasing_makes_it_available_again_but_only_by_the_record_that_redeemed_it(promoter, voucher):
    redeem(promoter)

    voucher_release(user=promoter, code="BP-100", reference="assistance.fundingline:2")
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.REDEEMED

    voucher_release(user=promoter, code="BP-100", reference="assistance.fundingline:1")
    voucher.refresh_from_db()
    assert (voucher.status, voucher.redeemed_for, voucher.redeemed_amount) == (Voucher.Status.AVAILABLE, "", None)
    assert redeem(promoter, reference="assistance.fundingline:3").redeemed_for == "assistance.fundingline:3"


def test_a_role_that_takes_no_payments_cannot_redeem(national_manager, credit_officer, voucher):
    for user in (national_manager, credit_officer):
        with pytest.raises(NotAllowed):
            redeem(user)


def _coordinator(centre):
    from core.roles import Role
    from core.tests.factories import UserFactory

    return UserFactory(roles=[Role.COORDINATOR], centres=[centre])


def test_issuing_refuses_a_duplicate_code_an_inverted_validity_and_no_holder(coordinator, lima, company):
    programme = ProgrammeFactory(centre=lima)
    base = {"programme": programme, "amount": M("100"), "valid_from": D(2026, 1, 1), "valid_until": D(2026, 6, 30)}
    voucher_issue(user=coordinator, code="x-1", holder_company=company, **base)
    with pytest.raises(DomainError, match="already exists"):
        voucher_issue(user=coordinator, code="X-1", holder_company=company, **base)
    with pytest.raises(DomainError, match="expire before"):
        voucher_issue(user=coordinator, code="X-2", holder_company=company, **{**base, "valid_until": D(2025, 1, 1)})
    with pytest.raises(DomainError, match="one company or one person"):
        voucher_issue(user=coordinator, code="X-3", **base)
