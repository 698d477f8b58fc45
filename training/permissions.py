"""Who may do what with training: the one policy of this app.

Write services ask it first; pages, API, templates and menus read it. Seeing an
offering at all is the selectors' job (another centre's offering is a 404).
"""

from core.policy import AUDITORS, EVERY_ROLE, Policy, Rule
from core.roles import Role

MANAGERS = {Role.COORDINATOR, Role.ADMINISTRATOR}
ENROLLERS = {Role.FRONT_DESK, Role.PROMOTER, Role.COORDINATOR}
TEACHERS = {Role.CONSULTANT, Role.COORDINATOR}
READERS = EVERY_ROLE - {Role.CREDIT_OFFICER}


def teaches(user, offering) -> bool:
    """The coordinator works on every course of the centre; a consultant only on the courses they teach."""
    if policy.in_scope(user, "works_on_every_course"):
        return True
    consultant = offering.instructor_consultant
    return (consultant is not None and consultant.user_id == user.pk) or offering.instructor_user_id == user.pk


policy = Policy(
    "training",
    {
        "module_view": Rule(READERS),
        "module_manage": Rule(MANAGERS),
        "offering_view": Rule(READERS),
        # The history of a module or a course (both read by READERS).
        "history_view": AUDITORS & Rule(READERS),
        "offering_manage": Rule(MANAGERS),
        "enrolment_create": Rule(ENROLLERS),
        "enrolment_withdraw": Rule(ENROLLERS),
        "attendance_record": Rule(TEACHERS, on_object=teaches),
        "scores_record": Rule(TEACHERS, on_object=teaches),
        "followup_view": Rule({Role.PROMOTER, Role.COORDINATOR, Role.NATIONAL_MANAGER}),
        "followup_record": Rule({Role.PROMOTER}),
        "demand_view": Rule({Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}),
    },
    scopes={
        "works_on_every_course": {Role.COORDINATOR},
        # Who is reminded of the follow-ups that fall due.
        "reminded_of_followups": {Role.PROMOTER},
    },
)
