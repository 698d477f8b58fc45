"""Execution: the consultant's visits and the technical report that closes it."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultants.models import Consultant
from core.exceptions import DomainError
from core.uploads import check_new_upload

from ..models import Service, Stage, TechnicalReport, Visit
from ..permissions import policy
from .workflow import ensure_stage, lock, service_start_evaluation


@transaction.atomic
def visit_log(
    *, user, service: Service, consultant: Consultant, date, hours: Decimal, notes: str, attachment=None
) -> Visit:
    policy.check(user, "execution_record", service)
    service = lock(service)
    ensure_stage(service, Stage.EXECUTION)
    if not service.consultants.filter(pk=consultant.pk).exists():
        raise DomainError(_("That consultant is not assigned to this service."), field="consultant")
    if date > timezone.localdate():
        raise DomainError(_("A visit cannot be in the future."), field="date")
    hours = Decimal(hours)
    if not Decimal("0") < hours <= Decimal("24"):
        raise DomainError(_("Hours of a visit go from more than 0 to 24."), field="hours")
    if not (notes or "").strip():
        raise DomainError(_("Write what was done."), field="notes")
    check_new_upload(attachment, field="attachment")
    return Visit.objects.create(
        service=service, consultant=consultant, date=date, hours=hours, notes=notes.strip(), attachment=attachment or ""
    )


@transaction.atomic
def report_submit(
    *, user, service: Service, summary: str, results: str, recommendations: str = "", ended_on=None, file=None
) -> TechnicalReport:
    """The technical report closes execution: the service moves on to evaluation."""
    policy.check(user, "execution_record", service)
    service = lock(service)
    ensure_stage(service, Stage.EXECUTION)
    if not service.visits.exists():
        raise DomainError(_("Log at least one visit before the technical report."))
    if not (summary or "").strip() or not (results or "").strip():
        raise DomainError(_("The report needs a summary and the results."), field="summary")
    ended_on = ended_on or timezone.localdate()
    last_visit = service.visits.order_by("-date").values_list("date", flat=True).first()
    if ended_on > timezone.localdate():
        raise DomainError(_("Execution cannot end in the future."), field="ended_on")
    if last_visit and ended_on < last_visit:
        raise DomainError(_("Execution cannot end before the last visit."), field="ended_on")
    check_new_upload(file)
    # A service reopened at execution already has a report: the new one replaces it (history keeps the old).
    report, _created = TechnicalReport.objects.update_or_create(
        service=service,
        defaults={
            "summary": summary.strip(),
            "results": results.strip(),
            "recommendations": (recommendations or "").strip(),
            "file": file or "",
            "submitted_by": user,
            "submitted_at": timezone.now(),
        },
    )
    service.execution_ended_on = ended_on
    # A new end of execution opens a new evaluation window: its reminder is a new notification, keyed on
    # the new due date (core.reminders).
    service.save(update_fields=["execution_ended_on", "updated_at"])
    service_start_evaluation(user=user, service=service)
    return report
