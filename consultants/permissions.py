"""Who may do what with the consultant directory: the one policy of this app.

Managers read the directory; the administrator keeps it (entries, evidence,
validation). Write services ask it first; pages, API, templates and the menu read
it. Seeing an entry at all is the selectors' job (a consultant serving only another
centre is a 404); this answers 403.
"""

from core.policy import AUDITORS, Policy, Rule
from core.roles import Role

READERS = {Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}
KEEPERS = {Role.ADMINISTRATOR}
# The role of the user accounts an entry may be linked to (the consultant signs in with it).
LINKABLE_ROLE = Role.CONSULTANT

policy = Policy(
    "consultants",
    {
        "consultant_view": Rule(READERS),
        "history_view": AUDITORS & Rule(READERS),
        "consultant_edit": Rule(KEEPERS),
        "consultant_validate": Rule(KEEPERS),
        "document_upload": Rule(KEEPERS),
    },
    scopes={
        # Who the daily reminders tell of accreditation evidence about to lapse, or lapsed.
        "reminded_of_accreditations": KEEPERS,
    },
)
