"""Reads of the training app, scoped to the requesting user (another centre's course is a 404)."""

import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clients.models import Need, NeedType
from consultants import selectors as directory
from core.access import scope_to_user
from core.selectors import centre_settings

from .models import Attendance, Enrolment, FollowUp, Module, Offering, Session

ENROLLED = Q(enrolments__status=Enrolment.Status.ENROLLED)
WAITING = Q(enrolments__status=Enrolment.Status.WAITING)


# --- Modules --------------------------------------------------------------------------------------


def module_list(*, user) -> QuerySet[Module]:
    """The catalogue is the network's: every member of staff reads all of it."""
    return Module.objects.select_related("subsector").prefetch_related("centres", "components")


def module_detail(*, user, pk: int) -> Module:
    return get_object_or_404(module_list(user=user), pk=pk)


# --- Offerings ------------------------------------------------------------------------------------


def with_seats(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    """Each offering with ``enrolled`` and ``waiting`` counted in the same query."""
    return offerings.annotate(
        enrolled=Count("enrolments", filter=ENROLLED, distinct=True),
        waiting=Count("enrolments", filter=WAITING, distinct=True),
    )


def offering_list(*, user) -> QuerySet[Offering]:
    qs = Offering.objects.select_related(
        "module", "module__subsector", "centre", "instructor_user", "instructor_consultant"
    )
    # Counting seats groups the rows, which drops the model's default order: say it again.
    return with_seats(scope_to_user(qs, user)).order_by(F("starts_on").desc(nulls_first=True), "-id")


def offering_detail(*, user, pk: int) -> Offering:
    qs = offering_list(user=user).prefetch_related(
        Prefetch("sessions", queryset=Session.objects.all()),
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.select_related("entrepreneur", "company", "followup").order_by(
                "status", "waiting_since", "entrepreneur__last_name", "id"
            ),
        ),
    )
    return get_object_or_404(qs, pk=pk)


def seats_left(offering: Offering) -> int:
    return max(0, offering.capacity - offering.enrolled)


def participants(offering: Offering) -> list[Enrolment]:
    """Those holding a seat (from offering_detail's prefetch: no query)."""
    return [e for e in offering.enrolments.all() if e.status == Enrolment.Status.ENROLLED]


def waiting_list(offering: Offering) -> list[Enrolment]:
    return sorted(
        (e for e in offering.enrolments.all() if e.status == Enrolment.Status.WAITING),
        key=lambda e: (e.waiting_since, e.pk),
    )


def attendance_grid(offering: Offering) -> dict:
    """Who came to which session, as {(enrolment id, session id): present}, with each participant's share."""
    marks = {
        (a.enrolment_id, a.session_id): a.present
        for a in Attendance.objects.filter(enrolment__offering=offering).only("enrolment_id", "session_id", "present")
    }
    sessions = list(offering.sessions.all())
    threshold = centre_settings(offering.centre_id).training_completion_attendance
    rows = []
    for enrolment in participants(offering):
        present = sum(1 for s in sessions if marks.get((enrolment.pk, s.pk)))
        share = round(present * 100 / len(sessions)) if sessions else 0
        rows.append(
            {
                "enrolment": enrolment,
                "cells": [(s, marks.get((enrolment.pk, s.pk), False)) for s in sessions],
                "present": present,
                "share": share,
                "meets": share >= threshold,
            }
        )
    return {"sessions": sessions, "rows": rows, "threshold": threshold}


def instructor_suggestions(offering: Offering, limit: int = 5) -> list:
    """The directory's ranking for teaching this module at this centre (subsector; production area)."""
    return directory.consultant_suggestions(
        centre_id=offering.centre_id,
        subsector_id=offering.module.subsector_id,
        area="production",
        exclude_ids=[offering.instructor_consultant_id] if offering.instructor_consultant_id else [],
        limit=limit,
    )


def enrolment_list(*, user) -> QuerySet[Enrolment]:
    return scope_to_user(
        Enrolment.objects.select_related("entrepreneur", "company", "offering", "offering__module", "centre"), user
    )


def enrolment_detail(*, user, pk: int) -> Enrolment:
    return get_object_or_404(enrolment_list(user=user), pk=pk)


def certificate_of(*, user, pk: int) -> Enrolment:
    """An enrolment whose certificate the user may print: only those who completed."""
    return get_object_or_404(
        enrolment_list(user=user).select_related("offering__centre"), pk=pk, certificate_code__isnull=False
    )


# --- Public pages (no login, no personal data except on a certificate verified by its code) -------


def public_calendar(on: datetime.date | None = None) -> QuerySet[Offering]:
    """Upcoming courses open for enrolment at every active centre, with seats taken: one query."""
    on = on or timezone.localdate()
    return with_seats(
        Offering.objects.filter(status=Offering.Status.OPEN, centre__is_active=True, ends_on__gte=on)
        .select_related("module", "centre")
        .only(
            "id",
            "code",
            "status",
            "venue_kind",
            "venue",
            "capacity",
            "price",
            "subsidy",
            "starts_on",
            "ends_on",
            "centre__name",
            "centre__city",
            "module__name",
            "module__hours",
        )
    ).order_by("centre__name", "starts_on", "id")


def public_sessions(on: datetime.date | None = None) -> QuerySet[Session]:
    """Every session of the public calendar's courses, for the iCalendar feed: one query."""
    on = on or timezone.localdate()
    return (
        Session.objects.filter(
            offering__status=Offering.Status.OPEN, offering__centre__is_active=True, offering__ends_on__gte=on
        )
        .select_related("offering__module", "offering__centre")
        .order_by("date", "start_time", "id")
    )


def certificate_by_code(code: str) -> Enrolment | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return (
        Enrolment.objects.filter(certificate_code=code, completed=True)
        .select_related("entrepreneur", "offering__module", "offering__centre")
        .first()
    )


# --- Follow-ups -----------------------------------------------------------------------------------


def followup_list(*, user) -> QuerySet[FollowUp]:
    return scope_to_user(
        FollowUp.objects.select_related(
            "enrolment__entrepreneur", "enrolment__company", "enrolment__offering__module", "recorded_by"
        ),
        user,
    )


def followups_due(*, user, on: datetime.date | None = None) -> QuerySet[FollowUp]:
    on = on or timezone.localdate()
    return followup_list(user=user).filter(date__isnull=True, due_on__lte=on).order_by("due_on", "id")


def followups_due_panel(user) -> list[tuple[str, str]]:
    from django.urls import reverse

    return [
        (
            f"{f.enrolment.entrepreneur} · {f.enrolment.offering.module}",
            reverse("training:followup_record", args=[f.pk]),
        )
        for f in followups_due(user=user)[:10]
    ]


# --- Demand ---------------------------------------------------------------------------------------


def training_demand(*, user) -> list[dict]:
    """Open training needs by centre and subsector, companies and protoempresas apart, with the modules held.

    Two queries whatever the number of needs.
    """
    needs = scope_to_user(Need.objects.filter(status=Need.Status.OPEN, need_type=NeedType.TRAINING), user)
    groups = (
        needs.values("centre_id", "centre__name", "company__subsector_id", "company__subsector__name")
        .annotate(
            companies=Count("company", distinct=True),
            people=Count("id", filter=Q(company__isnull=True)),
            total=Count("id"),
        )
        .order_by("-total", "centre__name", "company__subsector__name")
    )
    rows = list(groups)
    held: dict[tuple, list[str]] = {}
    for module in Module.objects.filter(is_active=True).prefetch_related("centres").only("name", "subsector_id"):
        for centre in module.centres.all():
            held.setdefault((centre.pk, module.subsector_id), []).append(module.name)
    for row in rows:
        row["modules"] = held.get((row["centre_id"], row["company__subsector_id"]), [])
    return rows


# --- The company timeline -------------------------------------------------------------------------


def timeline_courses(companies, user) -> list:
    """Courses taken by people of these companies that the user may see, as timeline events."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from clients.timeline import TimelineEvent

    from .permissions import policy

    if not policy.can(user, "offering_view"):
        return []
    enrolments = (
        enrolment_list(user=user)
        .filter(company__in=companies)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related(None)  # only the joins an event shows
        .select_related("offering__module", "entrepreneur")
    )
    return [
        TimelineEvent(
            company_id=e.company_id,
            date=e.offering.starts_on or timezone.localdate(e.created_at),
            kind=_("Course"),
            title=f"{e.offering.module.name}: {e.entrepreneur} ({e.get_status_display()})",
            url=reverse("training:offering_detail", args=[e.offering_id]),
            icon="mortarboard",
        )
        for e in enrolments
    ]


# --- Reminders (registered with core.reminders) ---------------------------------------------------------


def followup_reminders(today):
    """Post-course follow-ups due and not yet made, to every promoter of the follow-up's centre."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.reminders import Reminder, recipients_by_centre

    from .permissions import policy

    due = list(
        FollowUp.objects.filter(date__isnull=True, due_on__lte=today).select_related(
            "enrolment__entrepreneur", "enrolment__offering__module"
        )
    )
    if not due:
        return
    promoters = recipients_by_centre({f.centre_id for f in due}, policy.scopes["reminded_of_followups"])
    for followup in due:
        enrolment = followup.enrolment
        message = _("Course follow-up due: %(person)s, %(course)s") % {
            "person": enrolment.entrepreneur,
            "course": enrolment.offering.module.name,
        }
        for user_id in promoters.get(followup.centre_id, []):
            yield Reminder(
                user_id,
                f"training.followup:{followup.pk}",
                followup.due_on,
                message,
                reverse("training:followup_record", args=[followup.pk]),
            )
