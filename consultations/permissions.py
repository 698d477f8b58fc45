"""Who may do what with consultations and the desk's library: the one policy of this app.

Write services ask it first; pages, API, templates and menus read it. Seeing a
consultation at all is the selectors' job (another centre's is a 404); this answers 403.
"""

from core.policy import AUDITORS, EVERY_ROLE, Policy, Rule
from core.roles import Role

DESK = {Role.FRONT_DESK, Role.PROMOTER, Role.COORDINATOR, Role.ADMINISTRATOR}
READERS = DESK | {Role.NATIONAL_MANAGER}
KEEPERS = {Role.COORDINATOR, Role.ADMINISTRATOR}

policy = Policy(
    "consultations",
    {
        "consultation_view": Rule(READERS),
        # The history of a consultation or a fact sheet (the library is read by every role).
        "history_view": AUDITORS & Rule(READERS),
        "consultation_create": Rule(DESK),
        # Completing a quick contact registers a person in the client registry (whose policy asks again);
        # a consultation already linked to a client is refused by the service with its reason.
        "consultation_complete_contact": Rule(DESK),
        "client_search": Rule(DESK),
        "desk_panel_view": Rule({Role.FRONT_DESK}),
        "conversion_view": Rule(KEEPERS | {Role.NATIONAL_MANAGER}),
        "library_view": Rule(EVERY_ROLE),
        "library_edit": Rule(KEEPERS),
    },
)
