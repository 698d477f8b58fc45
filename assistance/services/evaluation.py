"""The evaluation: the promoter's follow-up visit measures the indicators and the owner's satisfaction."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Need, NeedType
from core.access import has_role
from core.exceptions import DomainError

from ..models import Evaluation, Service, Stage
from .proposal import ensure_stage
from .workflow import PROMOTERS, lock, service_close


def evaluation_window(service: Service) -> tuple[datetime.date, datetime.date] | None:
    """The dates between which the evaluation is due (30 to 60 days after execution by default)."""
    if service.execution_ended_on is None:
        return None
    first, last = settings.EVALUATION_WINDOW_DAYS
    return (
        service.execution_ended_on + datetime.timedelta(days=first),
        service.execution_ended_on + datetime.timedelta(days=last),
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
    """Record the evaluation: every indicator of the action plan measured, satisfaction 1-5. Closes the service."""
    if not has_role(user, *PROMOTERS):
        raise DomainError(_("The promoter or a coordinator records the evaluation."))
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
    if not 1 <= int(satisfaction) <= 5:
        raise DomainError(_("Satisfaction goes from 1 to 5."), field="satisfaction")
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
    if further_services_requested:
        # New demand, followed up like any need found.
        Need.objects.create(
            centre_id=service.centre_id,
            company_id=service.company_id,
            need_type=NeedType.ASSISTANCE,
            note=evaluation.further_services_note,
            source="evaluation",
        )
    service_close(user=user, service=service)
    return evaluation
