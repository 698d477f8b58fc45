"""Shared fixtures: two centres and one user per role (Lima staff unless named otherwise)."""

import pytest

from core.roles import Role
from core.tests.factories import CentreFactory, UserFactory


@pytest.fixture
def lima(db):
    return CentreFactory(name="CentroPyME Lima", department="Lima", city="Lima")


@pytest.fixture
def huancayo(db):
    return CentreFactory(name="CentroPyME Huancayo", department="Junín", city="Huancayo")


def _staff(role, centre, username):
    return UserFactory(username=username, roles=[role], centres=[centre])


@pytest.fixture
def promoter(lima):
    return _staff(Role.PROMOTER, lima, "promoter")


@pytest.fixture
def promoter_huancayo(huancayo):
    return _staff(Role.PROMOTER, huancayo, "promoter_hyo")


@pytest.fixture
def consultant(lima):
    return _staff(Role.CONSULTANT, lima, "consultant")


@pytest.fixture
def coordinator(lima):
    return _staff(Role.COORDINATOR, lima, "coordinator")


@pytest.fixture
def national_manager(lima):
    return _staff(Role.NATIONAL_MANAGER, lima, "manager")


@pytest.fixture
def administrator(lima):
    return _staff(Role.ADMINISTRATOR, lima, "administrator")


@pytest.fixture
def credit_officer(huancayo):
    return _staff(Role.CREDIT_OFFICER, huancayo, "credit")


@pytest.fixture
def front_desk(lima):
    return _staff(Role.FRONT_DESK, lima, "frontdesk")


@pytest.fixture
def no_role_user(lima):
    return UserFactory(username="norole", centres=[lima])


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _dashboard_computed_every_time(settings):
    """The dashboard's cache (monitoring/cache.py) outlives a test's rolled-back data: off unless a test
    turns it on (monitoring/tests/test_cache.py)."""
    settings.MONITORING_CACHE_SECONDS = 0
