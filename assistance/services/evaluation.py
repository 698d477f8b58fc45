"""The evaluation: the promoter's follow-up visit measures the indicators and the owner's satisfaction."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import NeedType
from clients.services import need_create
from core.exceptions import DomainError
from core.selectors import centre_settings

from ..models import Evaluation, Service, Stage
from ..permissions import policy
from .workflow import ensure_stage, lock, service_close


def evaluation_window(service: Service) -> tuple[datetime.date, datetime.date] | None:
    """The dates between which the evaluation is due (30 to 60 days after execution, the centre's settings)."""
    if service.execution_ended_on is None:
        return None
    rules = centre_settings(service.centre_id)
    return (
        service.execution_ended_on + datetime.timedelta(days=rules.evaluation_from_days),
        service.execution_ended_on + datetime.timedelta(days=rules.evaluation_until_days),
    )


@transaction.atomic
def evaluation_record(
    *,
    user,
    service: Service,
    date,
    satisfaction: int,
    measures: dict[int, Decimal],
    comments: str = "",
    further_services_requested: bool = False,
    further_services_note: str = "",
) -> Evaluation:
    """Record the evaluation: every indicator measured, satisfaction on the centre's scale. Closes the service."""
    policy.check(user, "evaluation_record", service)
    service = lock(service)
    ensure_stage(service, Stage.EVALUATION)
    window = evaluation_window(service)
    if date > timezone.localdate():
        raise DomainError(_("The evaluation visit cannot be in the future."), field="date")
    if window and date < window[0]:
        raise DomainError(
            _("The evaluation is due from %(date)s, when the improvements have had time to show.")
            % {"date": window[0].strftime("%d/%m/%Y")},
            field="date",
        )
    try:
        satisfaction = int(satisfaction)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Satisfaction is a whole number."), field="satisfaction") from exc
    scale = centre_settings(service.centre_id).satisfaction_scale
    if not 1 <= satisfaction <= scale:
        raise DomainError(_("Satisfaction goes from 1 to %(top)s.") % {"top": scale}, field="satisfaction")
    indicators = list(service.indicators.all())
    missing = [i.name for i in indicators if measures.get(i.pk) in (None, "")]
    if missing:
        raise DomainError(_("Measure every indicator: %(names)s.") % {"names": ", ".join(missing)}, field="measures")
    for indicator in indicators:
        try:
            indicator.measured_value = Decimal(measures[indicator.pk])
        except (InvalidOperation, TypeError) as exc:
            raise DomainError(
                _("The value of %(name)s is not a number.") % {"name": indicator.name}, field="measures"
            ) from exc
        indicator.measured_on = date
        indicator.save(update_fields=["measured_value", "measured_on"])
    if further_services_requested and not (further_services_note or "").strip():
        raise DomainError(_("Say which further services the owner asks for."), field="further_services_note")
    # A closed service reopened at evaluation already has one: the new visit replaces it (history keeps the old).
    previous = Evaluation.objects.filter(service=service).first()
    already_asked = previous is not None and previous.further_services_requested
    evaluation, _created = Evaluation.objects.update_or_create(
        service=service,
        defaults={
            "date": date,
            "evaluator": user,
            "satisfaction": int(satisfaction),
            "comments": (comments or "").strip(),
            "further_services_requested": further_services_requested,
            "further_services_note": (further_services_note or "").strip(),
        },
    )
    if further_services_requested and not already_asked:
        # New demand, followed up like any need found; recorded once, even when the evaluation is redone.
        need_create(
            user=user,
            centre=service.centre,
            company=service.company,
            need_type=NeedType.ASSISTANCE,
            note=evaluation.further_services_note,
            source="evaluation",
        )
    service_close(user=user, service=service)
    return evaluation
