"""The access layer: role checks answer 403, other centres' records are 404."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from core.access import (
    HasRole,
    RoleRequiredMixin,
    get_scoped_or_404,
    has_role,
    role_required,
    roles_of,
    scope_to_user,
    sees_all_centres,
)
from core.models import Centre
from core.roles import Role

pytestmark = pytest.mark.django_db

CENTRE_ROLES = ["promoter", "consultant", "coordinator", "credit_officer", "front_desk"]


class CoordinatorOnlyView(RoleRequiredMixin, View):
    allowed_roles = [Role.COORDINATOR]

    def get(self, request):
        return HttpResponse("ok")


@role_required(Role.PROMOTER)
def promoter_only_view(request):
    return HttpResponse("ok")


class PromoterWritesApiView(APIView):
    permission_classes = [HasRole]
    allowed_roles = [Role.PROMOTER, Role.CONSULTANT]
    write_roles = [Role.PROMOTER]


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


def test_role_mixin_lets_the_role_in(coordinator):
    request = RequestFactory().get("/")
    request.user = coordinator
    assert CoordinatorOnlyView.as_view()(request).status_code == 200


def test_role_mixin_refuses_another_role_with_403(promoter):
    request = RequestFactory().get("/")
    request.user = promoter
    with pytest.raises(PermissionDenied):
        CoordinatorOnlyView.as_view()(request)


def test_role_mixin_sends_anonymous_users_to_login():
    request = RequestFactory().get("/secret/")
    request.user = AnonymousUser()
    response = CoordinatorOnlyView.as_view()(request)
    assert response.status_code == 302
    assert "/accounts/login/?next=/secret/" in response["Location"]


def test_role_decorator_refuses_another_role_and_lets_the_role_in(promoter, consultant):
    request = RequestFactory().get("/")
    request.user = promoter
    assert promoter_only_view(request).status_code == 200
    request.user = consultant
    with pytest.raises(PermissionDenied):
        promoter_only_view(request)


def test_api_role_permission_separates_reading_from_writing(promoter, consultant, coordinator):
    factory = APIRequestFactory()
    view = PromoterWritesApiView()
    get, post = factory.get("/"), factory.post("/")
    for request, user, allowed in [
        (get, promoter, True),
        (post, promoter, True),
        (get, consultant, True),
        (post, consultant, False),
        (get, coordinator, False),
    ]:
        request.user = user
        assert HasRole().has_permission(request, view) is allowed, (request.method, user.username)
