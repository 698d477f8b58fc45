"""Who may read the managers' dashboard: the one policy of this app.

Monitoring only reads. Which centres a manager sees is core's rule (a coordinator their
own centre, the national manager and the administrator every centre and the total),
applied by the selectors through ``core.access``; this answers 403 to everybody else.
"""

from core.policy import Policy, Rule
from core.roles import Role

MANAGERS = {Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}

policy = Policy(
    "monitoring",
    {
        "dashboard_view": Rule(MANAGERS),
        "dashboard_export": Rule(MANAGERS),
    },
)
