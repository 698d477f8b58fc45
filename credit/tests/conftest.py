import datetime
from decimal import Decimal

import pytest

from credit.tests.factories import ProductFactory, funded_operator


@pytest.fixture
def operator(huancayo, credit_officer, administrator):
    administrator.centres.add(huancayo)
    return funded_operator(huancayo, officers=[credit_officer], admin=administrator)


@pytest.fixture
def product(operator):
    return ProductFactory(operator=operator)


@pytest.fixture
def apart_product(operator):
    return ProductFactory(operator=operator, name="Activo fijo", fee_mode="apart")


D = datetime.date
M = Decimal
