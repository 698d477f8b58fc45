"""An operator may serve several centres: it lends to their entrepreneurs and their staff see it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from core.exceptions import DomainError
from credit import selectors
from credit.tests.factories import applied_loan, borrower

pytestmark = pytest.mark.django_db


def test_an_operator_lends_only_to_the_centres_it_serves(product, credit_officer, lima):
    person = borrower(lima)
    with translation.override("es"), pytest.raises(DomainError) as refused:
        applied_loan(product, credit_officer, entrepreneur=person)
    assert "no atiende" in str(refused.value.message)
    product.operator.other_centres.add(lima)
    loan = applied_loan(product, credit_officer, entrepreneur=person, amount=Decimal("800"))
    assert loan.centre_id == lima.pk  # the loan belongs to the borrower's centre
    assert loan.operator == product.operator


def test_the_staff_of_a_centre_the_operator_also_serves_see_it(operator, coordinator, lima, huancayo):
    assert coordinator.centres.filter(pk=lima.pk).exists()
    assert operator not in selectors.operator_list(user=coordinator)
    operator.other_centres.add(lima)
    listed = list(selectors.operator_list(user=coordinator))
    assert listed == [operator]  # once, though it is both based in and serving centres


def test_the_operator_list_reads_the_served_centres_in_a_fixed_number_of_queries(
    operator, national_manager, lima, django_assert_max_num_queries
):
    from credit.tests.factories import OperatorFactory

    for _ in range(5):
        OperatorFactory(centre=operator.centre, started_on=datetime.date(2001, 1, 1)).other_centres.add(lima)
    with django_assert_max_num_queries(4):
        names = [
            (o.name, [c.name for c in o.other_centres.all()]) for o in selectors.operator_list(user=national_manager)
        ]
    assert len(names) == 6
