"""Follow-up reminders: due dates kept in each app's tables, found by one daily scan.

Each app registers a source in its ``AppConfig.ready()``::

    register_reminder_source("assistance.evaluation_due", selectors.evaluation_reminders)

A source is ``fn(today) -> iterable of Reminder``: who, about what, due when, and the
words. The scan (``core.tasks.send_reminders``, run by beat every morning, or
``manage.py send_reminders`` by hand) writes them as ``Notification`` rows, which a
unique constraint keeps to one per person, item and due date however often it runs,
then sends each person who wants it one e-mail listing their new ones.

Nothing is scheduled days ahead on the broker (Redis hands long-delayed tasks out again
after its visibility timeout): the due dates live in the database and the scan reads them.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notification, User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    recipient_id: int
    item: str  # "app.model:id", with the due date what makes a reminder the same one
    due_on: datetime.date
    message: str
    url: str = ""


ReminderSource = Callable[[datetime.date], Iterable[Reminder]]
_sources: dict[str, ReminderSource] = {}


def register_reminder_source(kind: str, source: ReminderSource) -> None:
    _sources[kind] = source


def reminder_sources() -> dict[str, ReminderSource]:
    return dict(_sources)


def recipients_by_centre(centre_ids, roles) -> dict[int, list[int]]:
    """The active users of the given roles (a policy scope's role names) in each centre: {centre id: [user ids]}.
    One query for a source's whole run."""
    by_centre: dict[int, list[int]] = {}
    memberships = (
        User.centres.through.objects.filter(
            centre_id__in=set(centre_ids), user__is_active=True, user__groups__name__in=roles
        )
        .values_list("centre_id", "user_id")
        .distinct()
    )
    for centre_id, user_id in memberships:
        by_centre.setdefault(centre_id, []).append(user_id)
    return by_centre


def reminders_collect(*, today: datetime.date | None = None) -> int:
    """Write today's reminders from every source; return how many are new (0 on a second run)."""
    today = today or timezone.localdate()
    created = 0
    # The staff read Spanish: a worker has no request to take the language from.
    with translation.override(settings.LANGUAGE_CODE):
        for kind, source in _sources.items():
            rows = [
                Notification(
                    recipient_id=r.recipient_id,
                    kind=kind,
                    item=r.item,
                    due_on=r.due_on,
                    message=str(r.message)[:300],
                    url=r.url,
                )
                for r in source(today)
            ]
            before = Notification.objects.filter(kind=kind).count()
            Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
            created += Notification.objects.filter(kind=kind).count() - before
    return created


def digests_send() -> int:
    """One e-mail per person who wants it, listing every reminder not yet e-mailed; return how many e-mails."""
    users = (
        User.objects.filter(is_active=True, email_digest=True, notifications__emailed_at__isnull=True)
        .exclude(email="")
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(_digest(pk) for pk in list(users))


def _digest(user_id: int) -> int:
    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update()
            .filter(recipient_id=user_id, emailed_at__isnull=True)
            .order_by("due_on", "id")
        )
        if not items:
            return 0
        user = User.objects.get(pk=user_id)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Your reminders: %(count)s") % {"count": len(items)}
            body = render_to_string(
                "core/email/reminder_digest.txt",
                {"user": user, "items": items, "site_url": settings.SITE_URL},
            )
        send_mail(subject, body, None, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
        return 1


def reminders_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: collect the reminders, then send the digests."""
    created = reminders_collect(today=today)
    emails = digests_send()
    logger.info("Reminders: %s new, %s e-mails.", created, emails)
    return {"created": created, "emails": emails}


# --- Reading and marking, for the bell and the list -----------------------------------------------------


def notifications_of(user):
    return Notification.objects.filter(recipient=user).order_by("read_at", "-due_on", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user, pk: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them with ``pk=None``; another's is untouched."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())


def email_digest_set(*, user, wanted: bool) -> bool:
    """The user's own choice: the daily e-mail of reminders, or only the bell."""
    user.email_digest = wanted
    user.save(update_fields=["email_digest"])
    return wanted
