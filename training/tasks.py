"""Background work of the training app, run by Celery beat."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import FollowUp
from .permissions import policy

logger = logging.getLogger(__name__)


@shared_task
def send_followup_reminders() -> int:
    """E-mail each centre's promoters the post-course follow-ups that fell due; return how many were reminded.

    A follow-up is reminded once: ``reminder_sent_at`` is stamped in the same
    transaction as the e-mail, on rows locked so that two workers cannot both send
    it. A centre without a promoter with an e-mail address is left unstamped, so the
    reminder goes out once somebody can receive it.
    """
    today = timezone.localdate()
    centres = (
        FollowUp.objects.filter(date__isnull=True, due_on__lte=today, reminder_sent_at__isnull=True)
        .values_list("centre_id", flat=True)
        .distinct()
    )
    return sum(_remind_centre(centre_id, today) for centre_id in list(centres))


def _remind_centre(centre_id: int, today) -> int:
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, centres=centre_id, groups__name__in=policy.scopes["reminded_of_followups"])
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        logger.info("Follow-up reminders of centre %s skipped: no promoter has an e-mail address.", centre_id)
        return 0
    with transaction.atomic():
        due = list(
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("enrolment__entrepreneur", "enrolment__offering__module")
            .filter(centre_id=centre_id, date__isnull=True, due_on__lte=today, reminder_sent_at__isnull=True)
            .order_by("due_on", "id")
        )
        if not due:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Course follow-ups due: %(count)s") % {"count": len(due)}
            lines = [
                f"- {f.enrolment.entrepreneur} · {f.enrolment.offering.module.name} ({f.due_on:%d/%m/%Y})" for f in due
            ]
            body = _("Visit these participants to see whether they applied the course:") + "\n" + "\n".join(lines)
        send_mail(subject, body, None, sorted(recipients))
        FollowUp.objects.filter(pk__in=[f.pk for f in due]).update(reminder_sent_at=timezone.now())
        return len(due)
