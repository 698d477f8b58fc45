"""Opening a service and moving it through its six stages.

The stages follow each other; a move checks its preconditions and asks the app's
policy (``assistance.permissions``) whether the person may make it, and is logged.
Skipping a stage or going back is refused; the only way back is an explicit
reopening by a coordinator, logged with its reason.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Diagnosis, Need, NeedType, ProblemNode
from clients.services import need_mark_answered
from consultants.models import Area, Consultant
from core.exceptions import DomainError
from funds.services import voucher_redeem, voucher_release

from ..models import OPEN_STAGES, STAGE_ORDER, OwnerDecision, Service, ServiceType, Stage, StageChange
from ..permissions import ADVANCE_ROLES, policy


def next_stage(stage: str) -> str | None:
    if stage not in OPEN_STAGES:
        return None
    return STAGE_ORDER[STAGE_ORDER.index(stage) + 1]


def transition_problems(service: Service, to_stage: str) -> list[str]:
    """What stands in the way of moving the service into ``to_stage`` (empty: nothing)."""
    if to_stage != next_stage(service.stage):
        return [
            _("A service cannot go from %(from)s to %(to)s: stages follow each other.")
            % {"from": Stage(service.stage).label, "to": Stage(to_stage).label}
        ]
    problems = []
    if to_stage == Stage.PROPOSAL:
        if service.diagnosis_id is None:
            problems.append(_("Link the company's diagnosis first."))
        elif service.diagnosis.status != Diagnosis.Status.COMPLETED:
            problems.append(_("The diagnosis must be completed first."))
        if not service.addressed_nodes.exists():
            problems.append(_("Choose at least one problem of the tree for the service to address."))
    elif to_stage == Stage.ACTION_PLAN:
        if service.owner_decision != OwnerDecision.ACCEPTED:
            problems.append(_("The owner has not accepted the proposal."))
        if service.price_approved_at is None:
            problems.append(_("The coordinator has not approved the price."))
        if not service.improvements.exists():
            problems.append(_("The improvement plan is empty."))
        if not service.budget_lines.exists():
            problems.append(_("The budget is empty."))
    elif to_stage == Stage.EXECUTION:
        if not service.consultants.exists():
            problems.append(_("Assign a consultant first."))
        if not service.activities.exists():
            problems.append(_("The action plan has no activities."))
        if not service.indicators.exists():
            problems.append(_("The action plan has no indicators."))
    elif to_stage == Stage.EVALUATION:
        if not hasattr(service, "report"):
            problems.append(_("The technical report has not been submitted."))
    elif to_stage == Stage.CLOSED:
        if not hasattr(service, "evaluation"):
            problems.append(_("The evaluation has not been recorded."))
    return problems


def moves_by_hand(stage: str | None) -> bool:
    """Evaluation and closing come from the technical report and the evaluation, not from a button."""
    return stage in ADVANCE_ROLES


def can_advance(user, service: Service) -> bool:
    return moves_by_hand(next_stage(service.stage)) and policy.can(user, "service_advance", service)


def ensure_stage(service: Service, *stages: str) -> None:
    if service.stage not in stages:
        raise DomainError(
            _("This can only be done while the service is in: %(stages)s.")
            % {"stages": ", ".join(str(Stage(s).label) for s in stages)}
        )


def _move(*, user, service: Service, to_stage: str, note: str = "", reopening: bool = False) -> Service:
    from_stage = service.stage
    service.stage = to_stage
    service.stage_changed_at = timezone.now()
    service.save(update_fields=["stage", "stage_changed_at", "cancel_reason", "updated_at"])
    StageChange.objects.create(
        service=service, from_stage=from_stage, to_stage=to_stage, by=user, note=note, is_reopening=reopening
    )
    return service


def lock(service: Service) -> Service:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the diagnosis.
    return Service.objects.select_for_update(of=("self",)).select_related("diagnosis").get(pk=service.pk)


@transaction.atomic
def service_open(
    *, user, company, service_type: ServiceType, title: str, area: str = "production", promoter=None
) -> Service:
    """Open a service for a company, in the promotion stage."""
    policy.check(user, "service_open", company)
    if not (title or "").strip():
        raise DomainError(_("Give the service a title."), field="title")
    if area not in Area.values:
        raise DomainError(_("Unknown area."), field="area")
    if not service_type.is_active:
        raise DomainError(_("That service type is no longer offered."), field="service_type")
    now = timezone.now()
    service = Service.objects.create(
        centre_id=company.centre_id,
        company=company,
        code=f"tmp-{now.timestamp()}-{user.pk}"[:20],
        title=title.strip(),
        service_type=service_type,
        area=area,
        promoter=promoter or user,
        created_by=user,
        stage_changed_at=now,
    )
    # A readable file number: SAT-<year>-<id>, unique because the id is.
    service.code = f"SAT-{timezone.localdate():%Y}-{service.pk:05d}"
    service.save(update_fields=["code"])
    StageChange.objects.create(service=service, from_stage=Stage.PROMOTION, to_stage=Stage.PROMOTION, by=user)
    return service


@transaction.atomic
def service_advance(*, user, service: Service, to_stage: str) -> Service:
    """Move the service to the next stage, when its preconditions hold and the user's role may."""
    service = lock(service)
    policy.check(user, "service_advance", service)  # on the locked row: the rule reads its stage
    if service.stage not in OPEN_STAGES:
        raise DomainError(
            _("This service is %(stage)s: it does not move any more.") % {"stage": Stage(service.stage).label}
        )
    if to_stage not in ADVANCE_ROLES:
        if to_stage in (Stage.EVALUATION, Stage.CLOSED) and to_stage == next_stage(service.stage):
            raise DomainError(
                _("The technical report closes execution and the evaluation closes the service: record them.")
            )
        raise DomainError(
            _("A service cannot go from %(from)s to %(to)s: stages follow each other.")
            % {
                "from": Stage(service.stage).label,
                "to": Stage(to_stage).label if to_stage in Stage.values else to_stage,
            }
        )
    problems = transition_problems(service, to_stage)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems))
    service = _move(user=user, service=service, to_stage=to_stage)
    if to_stage == Stage.PROPOSAL:
        _answer_assistance_needs(user, service)
    return service


def _answer_assistance_needs(user, service: Service) -> None:
    """The company's open needs for technical assistance are answered by this service."""
    needs = Need.objects.filter(company_id=service.company_id, need_type=NeedType.ASSISTANCE, status=Need.Status.OPEN)
    for need in needs:
        need_mark_answered(user=user, need=need, answered_by=f"{service.code}")


@transaction.atomic
def service_close(*, user, service: Service) -> Service:
    """Called by the evaluation once it is recorded."""
    problems = transition_problems(service, Stage.CLOSED)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems))
    return _move(user=user, service=service, to_stage=Stage.CLOSED)


@transaction.atomic
def service_start_evaluation(*, user, service: Service) -> Service:
    """Called by the technical report: execution is over, the evaluation is due."""
    problems = transition_problems(service, Stage.EVALUATION)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems))
    return _move(user=user, service=service, to_stage=Stage.EVALUATION)


@transaction.atomic
def service_cancel(*, user, service: Service, reason: str) -> Service:
    """Cancel an open service, with its reason (coordinator)."""
    policy.check(user, "service_cancel", service)
    service = lock(service)
    if service.stage not in OPEN_STAGES:
        raise DomainError(_("Only an open service can be cancelled."))
    if not (reason or "").strip():
        raise DomainError(_("Say why the service is cancelled."), field="reason")
    service.cancel_reason = reason.strip()
    released = _release_vouchers(service, user)
    note = service.cancel_reason
    if released:
        note += " · " + _("Vouchers released: %(codes)s") % {"codes": ", ".join(released)}
    return _move(user=user, service=service, to_stage=Stage.CANCELLED, note=note)


def voucher_reference(line) -> str:
    """How funds names the funding line a voucher paid (funds never imports assistance)."""
    return f"assistance.fundingline:{line.pk}"


def _release_vouchers(service: Service, user) -> list[str]:
    """A cancelled service spends no voucher: funds makes it available again (the history keeps who held it)."""
    now = timezone.now()
    lines = list(service.funding_lines.filter(kind="voucher", voucher_released_at__isnull=True))
    for line in lines:
        voucher_release(user=user, code=line.voucher_code, reference=voucher_reference(line))
        line.voucher_released_at = now
        line.save(update_fields=["voucher_released_at"])
    return [line.voucher_code for line in lines]


def _reclaim_vouchers(service: Service, user) -> None:
    """Reopening a cancelled service redeems its vouchers again, unless one was redeemed meanwhile or expired."""
    for line in service.funding_lines.filter(kind="voucher", voucher_released_at__isnull=False):
        try:
            voucher_redeem(
                user=user,
                code=line.voucher_code,
                amount=line.amount,
                reference=voucher_reference(line),
                company=service.company,
            )
        except DomainError as refusal:
            raise DomainError(
                _("The voucher %(code)s cannot be taken back (%(why)s): remove it from this budget first.")
                % {"code": line.voucher_code, "why": refusal}
            ) from refusal
        line.voucher_released_at = None
        line.save(update_fields=["voucher_released_at"])


@transaction.atomic
def service_reopen(*, user, service: Service, to_stage: str, reason: str) -> Service:
    """The only way back: a coordinator reopens the service at an earlier stage, with a reason, logged."""
    policy.check(user, "service_reopen", service)
    service = lock(service)
    if not (reason or "").strip():
        raise DomainError(_("Say why the service is reopened."), field="reason")
    if to_stage not in OPEN_STAGES:
        raise DomainError(_("Choose one of the six stages to reopen at."), field="to_stage")
    if service.stage in OPEN_STAGES and STAGE_ORDER.index(to_stage) >= STAGE_ORDER.index(service.stage):
        raise DomainError(_("Reopening goes back to an earlier stage."), field="to_stage")
    if service.stage == Stage.CANCELLED:
        _reclaim_vouchers(service, user)
    service.cancel_reason = ""
    return _move(user=user, service=service, to_stage=to_stage, note=reason.strip(), reopening=True)


@transaction.atomic
def service_link_diagnosis(*, user, service: Service, diagnosis: Diagnosis, nodes: list[ProblemNode]) -> Service:
    """Tie the service to the company's diagnosis and the problems of its tree it will address."""
    policy.check(user, "service_link_diagnosis", service)
    service = lock(service)
    if service.stage not in (Stage.PROMOTION, Stage.DIAGNOSIS):
        raise DomainError(_("The diagnosis is chosen during promotion or diagnosis."))
    if diagnosis.company_id != service.company_id:
        raise DomainError(_("That diagnosis is of another company."), field="diagnosis")
    if any(node.diagnosis_id != diagnosis.pk for node in nodes):
        raise DomainError(_("Those problems are not in that diagnosis."), field="nodes")
    if any(not node.to_address or node.kind == ProblemNode.Kind.CENTRAL for node in nodes):
        raise DomainError(
            _("Choose among the causes and effects marked “to address” in the diagnosis's tree."), field="nodes"
        )
    service.diagnosis = diagnosis
    service.save(update_fields=["diagnosis", "updated_at"])
    service.addressed_nodes.set(nodes)
    return service


@transaction.atomic
def service_assign_consultant(*, user, service: Service, consultant: Consultant) -> Service:
    """Assign a validated consultant who serves the service's centre (coordinator)."""
    policy.check(user, "service_assign_consultant", service)
    service = lock(service)
    if service.stage not in OPEN_STAGES:
        raise DomainError(_("Only an open service takes consultants."))
    if consultant.status != Consultant.Status.VALIDATED:
        raise DomainError(_("Only validated consultants can be assigned."), field="consultant")
    if not consultant.centres.filter(pk=service.centre_id).exists():
        raise DomainError(_("This consultant does not serve this centre."), field="consultant")
    service.consultants.add(consultant)
    return service


@transaction.atomic
def service_unassign_consultant(*, user, service: Service, consultant: Consultant) -> Service:
    policy.check(user, "service_assign_consultant", service)
    service = lock(service)
    if service.stage not in (Stage.PROMOTION, Stage.DIAGNOSIS, Stage.PROPOSAL, Stage.ACTION_PLAN):
        raise DomainError(_("Consultants cannot be removed once execution has started."))
    service.consultants.remove(consultant)
    return service
