"""Who may do what with technical-assistance services: the one policy of this app.

Write services ask it first; pages, API, templates and menus read it. Seeing a
service at all is the selectors' job (another centre's service, or for a
consultant a service not assigned to them, is a 404); this answers 403.
"""

from core.policy import AUDITORS, EVERY_ROLE, Policy, Rule
from core.roles import Role

PROMOTERS = {Role.PROMOTER, Role.COORDINATOR, Role.ADMINISTRATOR}
COORDINATORS = {Role.COORDINATOR, Role.ADMINISTRATOR}
CONSULTANTS = {Role.CONSULTANT, Role.COORDINATOR, Role.ADMINISTRATOR}
MANAGERS = {Role.PROMOTER, Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}

# Who may move a service into each stage by hand. Evaluation and closing come from
# the technical report and the evaluation themselves.
ADVANCE_ROLES = {
    "diagnosis": PROMOTERS,
    "proposal": PROMOTERS,
    "action_plan": COORDINATORS,
    "execution": CONSULTANTS,
}

# Roles that work on every service of their centres; anybody else (a consultant)
# works only on the services assigned to them.
CENTRE_WIDE = {Role.PROMOTER, Role.COORDINATOR, Role.ADMINISTRATOR}


def works_on(user, service) -> bool:
    """A consultant works only on the services assigned to them."""
    if policy.in_scope(user, "works_on_every_service"):
        return True
    consultants = getattr(service, "_prefetched_objects_cache", {}).get("consultants")
    if consultants is not None:
        return any(c.user_id == user.pk for c in consultants)
    return service.consultants.filter(user=user).exists()


def may_advance(user, service) -> bool:
    from .models import OPEN_STAGES, STAGE_ORDER

    if service.stage not in OPEN_STAGES:
        return True  # nothing to move: the service answers why (a 400, not a 403)
    target = STAGE_ORDER[STAGE_ORDER.index(service.stage) + 1]
    roles = ADVANCE_ROLES.get(target)
    if roles is None:
        return True  # evaluation and closing are refused by the workflow with its reason
    from core.access import has_role

    return has_role(user, *roles) and works_on(user, service)


policy = Policy(
    "assistance",
    {
        # Reading
        "service_view": Rule(EVERY_ROLE),
        "history_view": AUDITORS & Rule(EVERY_ROLE),
        "pipeline_view": Rule(MANAGERS),
        "evaluations_due_view": Rule({Role.PROMOTER, Role.COORDINATOR}),
        "my_services_view": Rule({Role.CONSULTANT}),
        # Working on a service
        "service_open": Rule(PROMOTERS),
        "service_advance": Rule(set().union(*ADVANCE_ROLES.values()), on_object=may_advance),
        "service_cancel": Rule(COORDINATORS),
        "service_reopen": Rule(COORDINATORS),
        "service_link_diagnosis": Rule(PROMOTERS),
        "service_assign_consultant": Rule(COORDINATORS),
        "proposal_edit": Rule(PROMOTERS | {Role.CONSULTANT}, on_object=works_on),
        "owner_decision_record": Rule(PROMOTERS),
        "price_approve": Rule(COORDINATORS),
        "plan_edit": Rule(CONSULTANTS, on_object=works_on),
        "execution_record": Rule(CONSULTANTS, on_object=works_on),
        "evaluation_record": Rule(PROMOTERS),
    },
    scopes={
        # See every service of their centres (the others: only those assigned to them).
        "sees_every_service": EVERY_ROLE - {Role.CONSULTANT},
        "works_on_every_service": CENTRE_WIDE,
    },
)
