from .access import roles_of
from .navigation import menu_for
from .roles import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "user_roles": []}
    labels = dict(Role.choices)
    unread = getattr(user, "unread_notifications", None)
    if unread is None:  # a user not loaded by core.backends.UserBackend (a test's RequestFactory)
        from .reminders import unread_count

        unread = unread_count(user)
    return {
        "unread_notifications": unread,
        "menu": menu_for(user),
        "user_roles": [labels[r] for r in sorted(roles_of(user)) if r in labels],
    }
