"""The access layer: role checks answer 403, other centres' records are 404."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.access import get_scoped_or_404, has_role, roles_of, scope_to_user, sees_all_centres
from core.models import Centre
from core.roles import Role

pytestmark = pytest.mark.django_db

CENTRE_ROLES = ["promoter", "consultant", "coordinator", "credit_officer", "front_desk"]


def test_roles_of_lists_the_groups_of_the_user(promoter):
    assert roles_of(promoter) == {"promoter"}
    assert has_role(promoter, Role.PROMOTER)
    assert not has_role(promoter, Role.COORDINATOR)


def test_inactive_or_anonymous_users_hold_no_role(promoter):
    promoter.is_active = False
    assert roles_of(promoter) == frozenset()
    assert roles_of(AnonymousUser()) == frozenset()


def test_roles_are_read_once_per_user_object(promoter, django_assert_num_queries):
    with django_assert_num_queries(1):
        roles_of(promoter)
        roles_of(promoter)
        has_role(promoter, Role.PROMOTER)


@pytest.mark.parametrize("role", CENTRE_ROLES)
def test_centre_staff_see_only_their_own_centre(request, role, lima, huancayo):
    user = request.getfixturevalue(role)
    own = set(user.centres.all())
    visible = set(scope_to_user(Centre.objects.all(), user, centre_field="pk"))
    assert visible == own
    assert not sees_all_centres(user)


@pytest.mark.parametrize("fixture", ["national_manager", "administrator"])
def test_national_roles_see_every_centre(request, fixture, lima, huancayo):
    user = request.getfixturevalue(fixture)
    assert set(scope_to_user(Centre.objects.all(), user, centre_field="pk")) == {lima, huancayo}
    assert sees_all_centres(user)


def test_a_record_of_another_centre_is_a_404(promoter, huancayo):
    from django.http import Http404

    with pytest.raises(Http404):
        get_scoped_or_404(Centre.objects.all(), promoter, centre_field="pk", pk=huancayo.pk)


def test_anonymous_users_see_nothing(lima):
    assert not scope_to_user(Centre.objects.all(), AnonymousUser(), centre_field="pk").exists()
