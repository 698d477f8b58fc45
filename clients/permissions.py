"""Who may do what with the client registry and the diagnosis: the one policy of this app.

Write services ask it first; pages, API, templates and menus read it. Seeing a
record at all is the selectors' job (another centre's record is a 404).
"""

from core.policy import AUDITORS, EVERY_ROLE, Policy, Rule
from core.roles import Role

CLIENT_WRITERS = {Role.PROMOTER, Role.COORDINATOR, Role.ADMINISTRATOR, Role.FRONT_DESK}
DIAGNOSIS_WRITERS = {Role.PROMOTER, Role.COORDINATOR, Role.ADMINISTRATOR}
PERSONAL_DATA_OFFICERS = {Role.COORDINATOR, Role.ADMINISTRATOR}


def diagnosis_editable_by(user, diagnosis) -> bool:
    """A completed diagnosis is read-only, except for an administrator (history keeps the change).

    A state rule more than a role rule: the services refuse it with a DomainError that
    says why (a message on the page, a 400 in the API), not a bare 403.
    """
    return not diagnosis.is_completed or policy.in_scope(user, "edits_completed_diagnoses")


policy = Policy(
    "clients",
    {
        "company_view": Rule(EVERY_ROLE),
        "company_create": Rule(CLIENT_WRITERS),
        "company_update": Rule(CLIENT_WRITERS),
        "entrepreneur_view": Rule(EVERY_ROLE),
        "entrepreneur_create": Rule(CLIENT_WRITERS),
        "entrepreneur_update": Rule(CLIENT_WRITERS),
        # Ley 29733 requests (access, cancellation): handled by the centre's coordinator or an administrator.
        "entrepreneur_data_export": Rule(PERSONAL_DATA_OFFICERS),
        "entrepreneur_anonymise": Rule(PERSONAL_DATA_OFFICERS),
        "diagnosis_view": Rule(EVERY_ROLE),
        # The history of a company, a person or a diagnosis (all read by every role): for the auditors.
        "history_view": AUDITORS & Rule(EVERY_ROLE),
        "diagnosis_create": Rule(DIAGNOSIS_WRITERS),
        "diagnosis_update": Rule(DIAGNOSIS_WRITERS),
        "diagnosis_complete": Rule(DIAGNOSIS_WRITERS),
        "problem_tree_edit": Rule(DIAGNOSIS_WRITERS),
        "size_classes_recompute": Rule({Role.ADMINISTRATOR}),
        "need_view": Rule({Role.PROMOTER, Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}),
        "draft_diagnoses_view": Rule({Role.PROMOTER, Role.COORDINATOR}),
        # Other apps record demand and answer it on behalf of whoever did the work there
        # (that app's own policy already allowed it).
        "need_record": Rule(EVERY_ROLE),
        "need_answer": Rule(EVERY_ROLE),
    },
    scopes={"edits_completed_diagnoses": {Role.ADMINISTRATOR}},
)
