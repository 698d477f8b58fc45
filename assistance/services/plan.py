"""The action plan: activities and indicators, filled by the consultant of the service."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..models import Activity, ImprovementItem, Indicator, Service, Stage
from ..permissions import policy
from .workflow import ensure_stage, lock


@transaction.atomic
def activity_add(
    *,
    user,
    service: Service,
    description: str,
    responsible: str,
    planned_start,
    planned_end,
    planned_hours: Decimal,
) -> Activity:
    policy.check(user, "plan_edit", service)
    service = lock(service)
    ensure_stage(service, Stage.ACTION_PLAN)
    if not (description or "").strip():
        raise DomainError(_("Describe the activity."), field="description")
    if planned_end < planned_start:
        raise DomainError(_("The planned end cannot be before the start."), field="planned_end")
    if Decimal(planned_hours) < 0:
        raise DomainError(_("Hours cannot be negative."), field="planned_hours")
    return Activity.objects.create(
        service=service,
        description=description.strip(),
        responsible=(responsible or "").strip(),
        planned_start=planned_start,
        planned_end=planned_end,
        planned_hours=planned_hours,
    )


@transaction.atomic
def activity_set_progress(*, user, activity: Activity, progress: int) -> Activity:
    policy.check(user, "plan_edit", activity.service)
    ensure_stage(lock(activity.service), Stage.ACTION_PLAN, Stage.EXECUTION)
    if not 0 <= int(progress) <= 100:
        raise DomainError(_("Progress goes from 0 to 100 %."), field="progress")
    activity.progress = int(progress)
    activity.save(update_fields=["progress"])
    return activity


@transaction.atomic
def activity_delete(*, user, activity: Activity) -> None:
    policy.check(user, "plan_edit", activity.service)
    ensure_stage(lock(activity.service), Stage.ACTION_PLAN)
    activity.delete()


@transaction.atomic
def indicator_add(
    *,
    user,
    service: Service,
    name: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    how_measured: str = "",
    improvement: ImprovementItem | None = None,
) -> Indicator:
    """An indicator with its baseline and target: exactly what the evaluation will measure."""
    policy.check(user, "plan_edit", service)
    service = lock(service)
    ensure_stage(service, Stage.ACTION_PLAN)
    if not (name or "").strip() or not (unit or "").strip():
        raise DomainError(_("Name the indicator and its unit."), field="name")
    if improvement is not None and improvement.service_id != service.pk:
        raise DomainError(_("That improvement belongs to another service."), field="improvement")
    if Decimal(baseline) == Decimal(target):
        raise DomainError(_("The target must differ from the baseline."), field="target")
    return Indicator.objects.create(
        service=service,
        improvement=improvement,
        name=name.strip(),
        unit=unit.strip(),
        baseline=baseline,
        target=target,
        how_measured=(how_measured or "").strip(),
    )


@transaction.atomic
def indicator_delete(*, user, indicator: Indicator) -> None:
    policy.check(user, "plan_edit", indicator.service)
    ensure_stage(lock(indicator.service), Stage.ACTION_PLAN)
    indicator.delete()
