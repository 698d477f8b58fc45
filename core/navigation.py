"""The menu and the home page's "my work" panels, filled by each app.

Apps register their entries in ``AppConfig.ready()``; core does not import them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .policy import Policy

Permission = tuple[Policy, str]  # (an app's policy, the action that opens the page)


def _permitted(permission: Permission | None, user) -> bool:
    if permission is None:
        return bool(getattr(user, "is_authenticated", False))
    policy, action = permission
    return policy.can(user, action)


@dataclass(frozen=True)
class NavItem:
    """A menu entry. ``permission=(policy, "action")`` shows it to whoever the app's policy lets
    take that action (the page itself asks the same); without one, to every member of staff."""

    label: str
    url_name: str
    icon: str = "circle"
    permission: Permission | None = None  # None: every signed-in member of staff
    order: int = 100

    def visible_to(self, user) -> bool:
        return _permitted(self.permission, user)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class WorkPanel:
    """A panel of the home page: ``items(user)`` returns (text, url) pairs."""

    title: str
    items: Callable
    permission: Permission | None = None
    order: int = 100


_menu: dict[str, NavItem] = {}
_panels: dict[str, WorkPanel] = {}


def register_menu(item: NavItem) -> None:
    _menu[item.url_name] = item


def register_panel(key: str, panel: WorkPanel) -> None:
    _panels[key] = panel


def menu_for(user) -> list[NavItem]:
    return sorted((i for i in _menu.values() if i.visible_to(user)), key=lambda i: (i.order, str(i.label)))


def panels_for(user) -> list[tuple[WorkPanel, list]]:
    visible = [p for p in _panels.values() if _permitted(p.permission, user)]
    return [(p, list(p.items(user))) for p in sorted(visible, key=lambda p: p.order)]
