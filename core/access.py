"""The access layer: who may use what, and which centres' records they see.

Every selector goes through these helpers instead of filtering centres itself, so
that the rule lives in one place: a scoped queryset hides other centres' records,
so asking for one is a 404. Who may take an action (a 403) is each app's policy
(``<app>/permissions.py``, built on ``core.policy``).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .roles import Role

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
    """National manager and administrator see every centre's records (core's policy says who)."""
    from .permissions import policy

    return policy.in_scope(user, "sees_every_centre")


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


class CentreScopedQuerysetMixin:
    """API viewsets: every queryset is scoped to the requesting user's centres."""

    centre_field = "centre"

    def get_queryset(self):
        return scope_to_user(super().get_queryset(), self.request.user, centre_field=self.centre_field)
