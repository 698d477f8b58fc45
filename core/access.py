"""The access layer: who may use what, and which centres' records they see.

Every view and API view goes through these helpers instead of checking groups
or filtering centres itself, so that the rule lives in one place:

* a role check answers 403 to a signed-in user without the role;
* a scoped queryset hides other centres' records, so asking for one is a 404.
"""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework.permissions import BasePermission

from .roles import NATIONAL_ROLES, Role

_ROLES_CACHE = "_cat_roles"
_CENTRES_CACHE = "_cat_centre_ids"


def roles_of(user) -> frozenset[str]:
    """The role codes of a user, read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached |= {Role.ADMINISTRATOR.value}
        setattr(user, _ROLES_CACHE, cached)
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & {str(r) for r in roles})


def sees_all_centres(user) -> bool:
    """National manager and administrator see every centre's records."""
    return bool(roles_of(user) & NATIONAL_ROLES)


def centre_ids(user) -> frozenset[int]:
    """The centres a user works with (for national roles: only their own, for defaults)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CENTRES_CACHE, None)
    if cached is None:
        cached = frozenset(user.centres.values_list("id", flat=True))
        setattr(user, _CENTRES_CACHE, cached)
    return cached


def visible_centres(user):
    """The centres a user sees: all for national roles, otherwise their own."""
    from .models import Centre

    if not getattr(user, "is_authenticated", False):
        return Centre.objects.none()
    return Centre.objects.all() if sees_all_centres(user) else Centre.objects.filter(id__in=centre_ids(user))


def active_centres(user):
    """The active centres a user may register records in: their own, or all for national roles."""
    return visible_centres(user).filter(is_active=True)


def scope_to_user(queryset: QuerySet, user, *, centre_field: str = "centre") -> QuerySet:
    """Restrict a queryset to the centres the user may see."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if sees_all_centres(user):
        return queryset
    return queryset.filter(**{f"{centre_field}__in": centre_ids(user)})


def get_scoped_or_404(queryset: QuerySet, user, *, centre_field: str = "centre", **lookup):
    """Fetch one record the user may see; any other record is a 404, never a 403."""
    return get_object_or_404(scope_to_user(queryset, user, centre_field=centre_field), **lookup)


def require_role(user, roles: Iterable[str]) -> None:
    """Raise PermissionDenied (403) unless the user holds one of the roles."""
    if not has_role(user, *roles):
        raise PermissionDenied


class RoleRequiredMixin(LoginRequiredMixin):
    """Class-based views: anonymous users go to the login page, others need a role.

    ``allowed_roles`` empty means any signed-in member of staff.
    """

    allowed_roles: Iterable[str] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.allowed_roles:
            require_role(request.user, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles: str):
    """Function views: the same rule as RoleRequiredMixin."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles:
                require_role(request.user, roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class HasRole(BasePermission):
    """API views: the view's ``allowed_roles`` (read) and ``write_roles`` (unsafe methods)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        roles = getattr(view, "allowed_roles", ())
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            roles = getattr(view, "write_roles", roles)
        return not roles or has_role(user, *roles)


class CentreScopedQuerysetMixin:
    """API viewsets: every queryset is scoped to the requesting user's centres."""

    centre_field = "centre"

    def get_queryset(self):
        return scope_to_user(super().get_queryset(), self.request.user, centre_field=self.centre_field)
