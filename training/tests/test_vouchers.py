"""A BonoPyME voucher pays a participant's course fee, redeemed and released through funds."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.exceptions import DomainError
from funds.models import Voucher
from funds.tests.factories import voucher_for
from training import services
from training.models import Enrolment
from training.tests.factories import build_offering, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_course(lima, coordinator):
    offering = build_offering("open", coordinator=coordinator, centre=lima)
    offering.price, offering.subsidy = Decimal("120"), Decimal("40")
    offering.save(update_fields=["price", "subsidy"])
    return offering


def test_a_voucher_pays_the_fee_once_and_is_released_when_the_person_withdraws(paid_course, lima, front_desk):
    owner = person(lima, with_company=True)
    voucher = voucher_for(owner.company, "BP-CURSO-1", "100")
    enrolment = services.enrolment_create(
        user=front_desk, offering=paid_course, entrepreneur=owner, voucher_code="bp-curso-1"
    )
    voucher.refresh_from_db()
    assert enrolment.voucher_code == "BP-CURSO-1"
    assert voucher.status == Voucher.Status.REDEEMED and voucher.redeemed_amount == Decimal("80.00")
    assert voucher.redeemed_for == f"training.enrolment:{enrolment.pk}"
    other = person(lima, with_company=True)
    with translation.override("es"), pytest.raises(DomainError) as used:
        services.enrolment_create(user=front_desk, offering=paid_course, entrepreneur=other, voucher_code="BP-CURSO-1")
    assert "ya fue usado" in str(used.value.message)
    services.enrolment_withdraw(user=front_desk, enrolment=enrolment)
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.AVAILABLE


def test_a_refused_voucher_enrols_nobody_and_the_page_says_why(client_for, paid_course, lima, front_desk):
    owner = person(lima, with_company=True)
    voucher_for(owner.company, "BP-CHICO", "50")  # worth less than the S/ 80 fee
    response = client_for(front_desk).post(
        reverse("training:enrol", args=[paid_course.pk]),
        {"entrepreneur": owner.pk, "voucher_code": "BP-CHICO"},
        follow=True,
    )
    assert "BP-CHICO" in response.content.decode() and "no puede pagar" in response.content.decode()
    assert not Enrolment.objects.filter(entrepreneur=owner).exists()
    assert Voucher.objects.get(code="BP-CHICO").status == Voucher.Status.AVAILABLE


def test_the_api_enrols_with_a_voucher(client_for, paid_course, lima, front_desk):
    owner = person(lima, with_company=True)
    voucher_for(owner.company, "BP-API", "80")
    response = client_for(front_desk).post(
        reverse("enrolment-list"),
        {"offering": paid_course.pk, "entrepreneur": owner.pk, "voucher_code": "BP-API"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["voucher_code"] == "BP-API"
    assert Voucher.objects.get(code="BP-API").status == Voucher.Status.REDEEMED
