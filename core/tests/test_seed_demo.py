import pytest
from django.core.management import call_command

from core.access import roles_of, sees_all_centres
from core.demo import DEMO_PASSWORD, USERS
from core.models import Centre, User

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Centre.objects.values_list("name", flat=True)),
        sorted(User.objects.values_list("username", "password")),
        sorted(User.groups.through.objects.values_list("user__username", "group__name")),
        sorted(User.centres.through.objects.values_list("user__username", "centre__name")),
    )


def test_seed_demo_creates_the_two_centres_and_one_user_per_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert set(Centre.objects.values_list("name", flat=True)) == {"CentroPyME Lima", "CentroPyME Huancayo"}
    for username, role, *_rest in USERS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert roles_of(user) == {role.value}
    assert sees_all_centres(User.objects.get(username="gerente"))
    assert not sees_all_centres(User.objects.get(username="promotor"))


def test_running_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
