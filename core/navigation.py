"""The menu and the home page's "my work" panels, filled by each app.

Apps register their entries in ``AppConfig.ready()``; core does not import them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from .access import has_role


@dataclass(frozen=True)
class NavItem:
    """A menu entry. ``permission=(policy, "action")`` shows it to whoever the app's policy lets
    take that action (the page itself asks the same); ``roles`` is the older form, kept for
    entries not yet moved to a policy. Neither: every member of staff."""

    label: str
    url_name: str
    icon: str = "circle"
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100
    permission: tuple | None = None  # (Policy, action name)

    def visible_to(self, user) -> bool:
        if self.permission is not None:
            policy, action = self.permission
            if not policy.can(user, action):
                return False
        return not self.roles or has_role(user, *self.roles)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class WorkPanel:
    """A panel of the home page: ``items(user)`` returns (text, url) pairs."""

    title: str
    items: Callable
    roles: frozenset[str] = field(default_factory=frozenset)
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
    visible = [p for p in _panels.values() if not p.roles or has_role(user, *p.roles)]
    return [(p, list(p.items(user))) for p in sorted(visible, key=lambda p: p.order)]
