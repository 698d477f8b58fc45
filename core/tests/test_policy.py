"""core.policy: one table of actions per app, read by services, pages, API and menus."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIRequestFactory

from core.exceptions import NotAllowed
from core.navigation import NavItem
from core.policy import Policy, PolicyPermission, Rule, all_policies, policy_required
from core.roles import Role

pytestmark = pytest.mark.django_db


def _own_records(user, record) -> bool:
    return record["owner"] == user.username


example = Policy(
    "example_for_tests",
    {
        "read": Rule({Role.PROMOTER, Role.COORDINATOR}),
        "edit": Rule({Role.PROMOTER, Role.COORDINATOR}, on_object=_own_records),
        "approve": Rule({Role.COORDINATOR}),
    },
    scopes={"edits_anything": {Role.ADMINISTRATOR}},
    register=False,  # not an app: the parity test must not look for it
)


def test_a_role_outside_the_rule_may_not_and_check_raises_not_allowed(promoter, consultant):
    assert example.can(promoter, "read")
    assert not example.can(consultant, "read")
    with pytest.raises(NotAllowed):
        example.check(consultant, "read")


def test_the_object_rule_is_asked_only_with_a_record(promoter):
    assert example.can(promoter, "edit")  # the role may edit some records
    assert example.can(promoter, "edit", {"owner": "promoter"})
    assert not example.can(promoter, "edit", {"owner": "somebody else"})


def test_allowed_lists_what_a_user_may_do_on_a_record_for_the_templates(promoter, coordinator):
    record = {"owner": "promoter"}
    assert example.allowed(promoter, record) == {"read", "edit"}
    assert example.allowed(coordinator, record) == {"read", "approve"}


def test_an_unknown_action_or_scope_is_a_programming_error_not_a_refusal(promoter):
    with pytest.raises(ImproperlyConfigured):
        example.can(promoter, "fly")
    with pytest.raises(ImproperlyConfigured):
        example.in_scope(promoter, "nowhere")


def test_anonymous_and_inactive_users_may_nothing(promoter):
    assert not example.can(AnonymousUser(), "read")
    promoter.is_active = False
    assert not example.can(promoter, "read")


def test_every_app_registers_its_policy():
    assert {"core", "clients", "assistance", "consultants"} <= set(all_policies())


def test_the_page_decorator_sends_anonymous_users_to_login_and_refuses_other_roles(promoter, consultant):
    @policy_required(example, "read")
    def page(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/secret/")
    request.user = AnonymousUser()
    assert page(request)["Location"].startswith("/accounts/login/?next=/secret/")
    request.user = promoter
    assert page(request).status_code == 200
    request.user = consultant
    with pytest.raises(NotAllowed):
        page(request)


class _View:
    policy = example
    policy_action = None
    policy_actions = {"list": "read", "create": "approve"}


def test_the_api_permission_reads_the_viewset_action_and_refuses_an_unmapped_one(promoter, coordinator):
    request = APIRequestFactory().get("/")
    view = _View()
    for action, user, allowed in [
        ("list", promoter, True),
        ("create", promoter, False),
        ("create", coordinator, True),
        ("destroy", coordinator, False),  # not in the table: refused, never open by accident
    ]:
        view.action = action
        request.user = user
        assert PolicyPermission().has_permission(request, view) is allowed, (action, user.username)


def test_the_api_permission_lets_drf_answer_405_for_a_method_without_handler(promoter):
    request = APIRequestFactory().post("/")
    request.user = promoter
    view = _View()
    view.action = None
    assert PolicyPermission().has_permission(request, view) is True


def test_the_api_permission_asks_the_object_rule(promoter):
    request = APIRequestFactory().get("/")
    request.user = promoter
    view = _View()
    view.action, view.policy_action = "list", "edit"
    assert PolicyPermission().has_object_permission(request, view, {"owner": "promoter"})
    assert not PolicyPermission().has_object_permission(request, view, {"owner": "other"})


def test_a_menu_entry_shows_to_whoever_the_policy_lets_open_the_page(promoter, consultant):
    item = NavItem("Aprobar", "home", permission=(example, "approve"))
    assert not item.visible_to(promoter)
    everyone = NavItem("Inicio", "home")
    assert everyone.visible_to(consultant)
    assert not everyone.visible_to(AnonymousUser())
