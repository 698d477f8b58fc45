"""One permission policy per app: who may do each action, and on which records.

Each app declares its ``Policy`` in ``<app>/permissions.py``: a table of actions,
each with the roles that may take it and, where it matters, an object rule
("a consultant only on the services assigned to them"). Everything reads that one
table:

* write services call ``policy.check(user, action, obj)`` first (Zulip's habit of
  checking inside the action), so no caller can go around it;
* page views use ``policy_required`` (anonymous: login page; wrong role: 403);
* API views use ``PolicyPermission`` with ``policy_actions`` naming the action of
  each viewset action, so page and API always give the same answer;
* templates get ``policy.allowed(user, obj)``, the set of actions the user may take
  on a record, to show only the buttons that work;
* menus and home-page panels name a policy action instead of roles.

Whether the record is visible at all is the scoped selectors' job (another centre's
record is a 404 before any policy is asked); the policy answers 403.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission

from .access import has_role
from .exceptions import NotAllowed
from .roles import Role

ObjectRule = Callable[[Any, Any], bool]

EVERY_ROLE = frozenset(Role.values)


@dataclass(frozen=True)
class Rule:
    """Who may take one action: ``roles``, and on a record, only when ``on_object(user, obj)`` holds."""

    roles: frozenset[str]
    on_object: ObjectRule | None = None

    def __init__(self, roles: Iterable[str], on_object: ObjectRule | None = None):
        object.__setattr__(self, "roles", frozenset(str(r) for r in roles))
        object.__setattr__(self, "on_object", on_object)

    def __and__(self, other: "Rule") -> "Rule":
        """Both rules: the roles in both, and on a record both object rules."""
        checks = [check for check in (self.on_object, other.on_object) if check is not None]
        if len(checks) < 2:
            return Rule(self.roles & other.roles, checks[0] if checks else None)
        first, second = checks
        return Rule(self.roles & other.roles, lambda user, obj: first(user, obj) and second(user, obj))


# Who audits: a record's history (who changed what and when) is for the coordinators of its centre,
# the national manager and the administrator, not for everyone who may read the record. Each app's
# ``history_view`` is ``AUDITORS & <the record's view rule>``: the view rule's object rule still holds,
# and another centre's record stays a 404 through the scoped selectors.
AUDITORS = Rule({Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR})


class Policy:
    """The rules of one app, by action name."""

    def __init__(
        self,
        app: str,
        rules: dict[str, Rule],
        *,
        scopes: dict[str, Iterable[str]] | None = None,
        register: bool = True,
    ):
        self.app = app
        self.rules = dict(rules)
        # Named groups of roles that shape what a user sees or works on (not actions of their own),
        # e.g. "works on every service of the centre" against "only on those assigned".
        self.scopes = {name: frozenset(str(r) for r in roles) for name, roles in (scopes or {}).items()}
        if register:  # an app's policy is registered so the parity test finds it
            _registry[app] = self

    def __repr__(self) -> str:
        return f"<Policy {self.app}: {len(self.rules)} actions>"

    @property
    def actions(self) -> list[str]:
        return list(self.rules)

    def rule(self, action: str) -> Rule:
        try:
            return self.rules[action]
        except KeyError:
            raise ImproperlyConfigured(f"The {self.app} policy has no action {action!r}.") from None

    def in_scope(self, user, scope: str) -> bool:
        try:
            return has_role(user, *self.scopes[scope])
        except KeyError:
            raise ImproperlyConfigured(f"The {self.app} policy has no scope {scope!r}.") from None

    def roles_for(self, action: str) -> frozenset[str]:
        return self.rule(action).roles

    def role_allows(self, user, action: str) -> bool:
        """The role part only: may this kind of user ever take the action?"""
        return has_role(user, *self.rule(action).roles)

    def can(self, user, action: str, obj=None) -> bool:
        """The whole answer: the role, and on a record its object rule."""
        rule = self.rule(action)
        if not has_role(user, *rule.roles):
            return False
        if obj is not None and rule.on_object is not None:
            return bool(rule.on_object(user, obj))
        return True

    def check(self, user, action: str, obj=None) -> None:
        """Raise NotAllowed (a 403 on pages and in the API) unless the user may."""
        if not self.can(user, action, obj):
            raise NotAllowed(action=f"{self.app}.{action}")

    def allowed(self, user, obj=None, *, actions: Iterable[str] | None = None) -> frozenset[str]:
        """The actions the user may take (on ``obj``): what templates read to show buttons."""
        names = self.rules if actions is None else actions
        return frozenset(a for a in names if self.can(user, a, obj))


_registry: dict[str, Policy] = {}


def all_policies() -> dict[str, Policy]:
    """Every app's policy (each module registers itself when imported)."""
    return dict(_registry)


def policy_required(policy: Policy, action: str):
    """Function views: anonymous users go to the login page; a role the policy refuses gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            policy.check(request.user, action)
            return view(request, *args, **kwargs)

        wrapper.policy_action = (policy, action)
        return wrapper

    return decorator


class PolicyPermission(BasePermission):
    """API views: ``view.policy`` and ``view.policy_actions`` (viewset action -> policy action).

    A viewset action missing from ``policy_actions`` is refused, so a new endpoint
    cannot be open by accident. ``@action(..., policy_action="x")`` names it on the
    extra action itself.
    """

    def _action(self, view) -> str | None:
        named = getattr(view, "policy_action", None)
        if named:
            return named
        return getattr(view, "policy_actions", {}).get(getattr(view, "action", None))

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        viewset_action = getattr(view, "action", "")
        if viewset_action is None or viewset_action == "metadata":
            return True  # no handler for the method (DRF answers 405), or OPTIONS
        action = self._action(view)
        if action is None:
            return False
        return view.policy.role_allows(user, action)

    def has_object_permission(self, request, view, obj) -> bool:
        action = self._action(view)
        return action is not None and view.policy.can(request.user, action, obj)
