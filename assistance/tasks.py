"""Background work of the assistance app, run by Celery beat."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Service
from .selectors import evaluation_opened_by
from .services.evaluation import evaluation_window

logger = logging.getLogger(__name__)


@shared_task
def send_evaluation_reminders() -> int:
    """E-mail each promoter whose service's evaluation has fallen due; return how many e-mails were sent.

    A service is due when it is in the evaluation stage and its window has opened
    (execution ended at least the centre's ``evaluation_from_days`` ago). Each service
    is reminded once: ``evaluation_reminder_sent_at`` is stamped with the e-mail, so
    running the task twice, or two workers at once, sends nothing more. A promoter
    without an e-mail address is skipped and left unstamped, so the reminder goes
    out once the address is filled in.
    """
    today = timezone.localdate()
    due = Service.objects.filter(evaluation_opened_by(today), evaluation_reminder_sent_at__isnull=True).values_list(
        "pk", flat=True
    )
    sent = 0
    for pk in list(due):
        if _remind(pk, today):
            sent += 1
    return sent


def _remind(pk: int, today: datetime.date) -> bool:
    """Remind one service's promoter, the row locked so that a concurrent run cannot send it again."""
    with transaction.atomic():
        service = (
            Service.objects.select_for_update(of=("self",))
            .select_related("promoter", "company")
            .filter(evaluation_opened_by(today), pk=pk, evaluation_reminder_sent_at__isnull=True)
            .first()
        )
        if service is None:
            return False
        email = (service.promoter.email or "").strip()
        if not email:
            logger.info("Evaluation reminder for %s skipped: its promoter has no e-mail address.", service.code)
            return False
        opens, closes = evaluation_window(service)
        # The staff read Spanish: a worker has no request to take the language from.
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Evaluation due: %(code)s") % {"code": service.code}
            body = _(
                "The evaluation of the service %(code)s (%(title)s) for %(company)s is due: "
                "visit the company between %(opens)s and %(closes)s, measure the indicators "
                "of the action plan and ask the owner's satisfaction."
            ) % {
                "code": service.code,
                "title": service.title,
                "company": service.company,
                "opens": opens.strftime("%d/%m/%Y"),
                "closes": closes.strftime("%d/%m/%Y"),
            }
        send_mail(subject, body, None, [email])
        service.evaluation_reminder_sent_at = timezone.now()
        service.save(update_fields=["evaluation_reminder_sent_at"])
        return True
