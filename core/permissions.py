"""Who may use core's own pages: the one policy of this app."""

from .policy import EVERY_ROLE, Policy, Rule
from .roles import Role

policy = Policy(
    "core",
    {
        "home_view": Rule(EVERY_ROLE),
        "admin_site": Rule({Role.ADMINISTRATOR}),
        "api_docs": Rule({Role.ADMINISTRATOR, Role.NATIONAL_MANAGER}),
        "centre_view": Rule(EVERY_ROLE),
        "report_request": Rule(EVERY_ROLE),
        "report_list": Rule(EVERY_ROLE),
        "notification_view": Rule(EVERY_ROLE),
    },
    scopes={"sees_every_centre": {Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}},
)
