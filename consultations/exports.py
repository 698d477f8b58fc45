"""The columns of the consultation export (CSV and XLSX), in one place for the page and any command."""

from django.utils import timezone
from django.utils.translation import gettext as _


def consultation_headers() -> list[str]:
    return [
        _("Date"), _("Centre"), _("Channel"), _("Topic"), _("Subsector"), _("Who asked"), _("Phone"),
        _("Question"), _("Answer"), _("Minutes"), _("Longer than the limit"), _("Referred to"),
        _("Course referred to"), _("Need status"), _("Recorded by"),
    ]  # fmt: skip


def consultation_row(c) -> list:
    return [
        f"{timezone.localtime(c.started_at):%d/%m/%Y %H:%M}", c.centre.name, str(c.get_channel_display()),
        c.topic.name, c.subsector.name if c.subsector_id else "", c.asked_by, c.contact_phone,
        c.question, c.answer, c.duration_minutes, _("Yes") if c.over_limit else _("No"),
        str(c.get_referral_display()) if c.referral else "", c.referral_course,
        str(c.need.get_status_display()) if c.need_id else "", str(c.recorded_by),
    ]  # fmt: skip
