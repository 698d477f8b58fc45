"""Writes of the training app: every rule about modules, offerings, enrolments and follow-ups lives here.

Each service asks the policy first, then the business rules, which raise a
``DomainError`` with a Spanish-translatable message; the transaction leaves nothing
half done. Seats are counted on the offering's row, locked, so two people taking
the last seat at the same moment end with one enrolled and one on the waiting list.
"""

import datetime
import secrets
import threading
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients import services as clients_services
from clients.models import Entrepreneur, Need, NeedType
from consultants.models import Consultant
from core.exceptions import DomainError
from core.money import to_money
from core.selectors import centre_settings
from funds.services import voucher_redeem, voucher_release

from .models import SCORE_MAX, SCORE_MIN, Attendance, Enrolment, FollowUp, Module, ModuleComponent, Offering, Session
from .permissions import policy

Status = Offering.Status

# The moves of an offering's status; cancelling is possible until it has finished.
TRANSITIONS = {
    Status.PLANNED: {Status.OPEN, Status.CANCELLED},
    Status.OPEN: {Status.RUNNING, Status.CANCELLED},
    Status.RUNNING: {Status.FINISHED, Status.CANCELLED},
    Status.FINISHED: set(),
    Status.CANCELLED: set(),
}
ENROLLING = {Status.OPEN, Status.RUNNING}

# SQLite has no row locks (select_for_update is a no-op there): writers that count seats
# take this lock around their whole transaction instead, so they run one after another.
_sqlite_seats = threading.RLock()


def seats_serialised(service):
    """On SQLite, run the service (and its commit) under a process lock; elsewhere the row lock does it."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        if connection.vendor != "sqlite":
            return service(*args, **kwargs)
        with _sqlite_seats:
            return service(*args, **kwargs)

    return wrapper


# --- Modules ------------------------------------------------------------------------------------

MODULE_FIELDS = ("name", "subsector", "objectives", "hours", "audience", "delivered_on", "is_active")


@transaction.atomic
def module_save(*, user, module: Module | None = None, fields: dict, centres=None) -> Module:
    """Create a module of the catalogue or change one."""
    policy.check(user, "module_manage", module)
    name = (fields.get("name") or "").strip()
    if not name:
        raise DomainError(_("A module needs a name."), field="name")
    duplicate = Module.objects.filter(name__iexact=name)
    if module is not None:
        duplicate = duplicate.exclude(pk=module.pk)
    if duplicate.exists():
        raise DomainError(_("There is already a module with this name."), field="name")
    module = module or Module()
    for field in MODULE_FIELDS:
        if field in fields:
            setattr(module, field, fields[field])
    module.name = name
    if not module.hours or module.hours < 1:
        raise DomainError(_("A module lasts at least one hour."), field="hours")
    module.save()
    if centres is not None:
        module.centres.set(centres)
    return module


@transaction.atomic
def component_upload(*, user, module: Module, kind: str, file) -> ModuleComponent:
    """Attach (or replace) the file of one of the module's materials."""
    from core.uploads import check_upload

    policy.check(user, "module_manage", module)
    if kind not in ModuleComponent.Kind.values:
        raise DomainError(_("Unknown material."), field="kind")
    check_upload(file)
    component, _created = ModuleComponent.objects.get_or_create(module=module, kind=kind)
    component.file = file
    component.uploaded_by = user
    component.uploaded_at = timezone.now()
    component.save()
    return component


# --- Offerings ----------------------------------------------------------------------------------


def _check_offering_fields(offering: Offering) -> None:
    if offering.capacity is None or offering.capacity < 1:
        raise DomainError(_("A course needs at least one seat."), field="capacity")
    offering.price = to_money(offering.price)
    offering.subsidy = to_money(offering.subsidy)
    if offering.price < 0:
        raise DomainError(_("The price cannot be negative."), field="price")
    if offering.subsidy < 0 or offering.subsidy > offering.price:
        raise DomainError(_("The subsidy must be between zero and the price."), field="subsidy")
    offering.venue = (offering.venue or "").strip()
    if offering.venue_kind == Offering.Venue.OUTSIDE and not offering.venue:
        raise DomainError(_("Give the address of the outside workshop."), field="venue")
    if offering.instructor_user_id and offering.instructor_consultant_id:
        raise DomainError(_("Choose one instructor: a member of staff or a consultant."), field="instructor_consultant")
    consultant = offering.instructor_consultant
    if consultant is not None and not consultant.centres.filter(pk=offering.centre_id).exists():
        raise DomainError(_("This consultant does not serve the centre."), field="instructor_consultant")
    if consultant is not None and consultant.status != Consultant.Status.VALIDATED:
        raise DomainError(_("Only a validated consultant may teach a course."), field="instructor_consultant")


OFFERING_FIELDS = ("venue_kind", "venue", "instructor_user", "instructor_consultant", "capacity", "price", "subsidy")


@transaction.atomic
def offering_create(*, user, centre, module: Module, fields: dict) -> Offering:
    """Plan a course: a module at a centre, with its seats, price and venue (sessions come next)."""
    policy.check(user, "offering_manage")
    if not module.is_active:
        raise DomainError(_("This module is no longer offered."), field="module")
    offering = Offering(centre=centre, module=module, created_by=user)
    for field in OFFERING_FIELDS:
        if field in fields:
            setattr(offering, field, fields[field])
    _check_offering_fields(offering)
    offering.save()
    offering.code = f"CAP-{timezone.localdate().year}-{offering.pk:05d}"
    offering.save(update_fields=["code"])
    return offering


@seats_serialised
@transaction.atomic
def offering_update(*, user, offering: Offering, fields: dict) -> Offering:
    """Change venue, instructor, seats or price; more seats promote people from the waiting list."""
    policy.check(user, "offering_manage", offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.status in (Status.FINISHED, Status.CANCELLED):
        raise DomainError(_("A finished or cancelled course cannot be changed."))
    for field in OFFERING_FIELDS:
        if field in fields:
            setattr(offering, field, fields[field])
    _check_offering_fields(offering)
    taken = offering.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    if offering.capacity < taken:
        raise DomainError(
            _("%(taken)s people already hold a seat: the course cannot have fewer seats.") % {"taken": taken},
            field="capacity",
        )
    offering.save()
    _promote_waiting(user=user, offering=offering)
    return offering


@transaction.atomic
def offering_set_instructor(*, user, offering: Offering, consultant: Consultant) -> Offering:
    """Name a consultant of the directory as the course's instructor (in place of a member of staff)."""
    policy.check(user, "offering_manage", offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.status in (Status.FINISHED, Status.CANCELLED):
        raise DomainError(_("A finished or cancelled course cannot be changed."))
    offering.instructor_user = None
    offering.instructor_consultant = consultant
    _check_offering_fields(offering)
    offering.save(update_fields=["instructor_user", "instructor_consultant", "price", "subsidy", "venue", "updated_at"])
    return offering


def _refresh_dates(offering: Offering) -> None:
    dates = offering.sessions.aggregate(first=Min("date"), last=Max("date"))
    offering.starts_on, offering.ends_on = dates["first"], dates["last"]
    offering.save(update_fields=["starts_on", "ends_on", "updated_at"])


@transaction.atomic
def session_add(
    *, user, offering: Offering, date: datetime.date, start_time: datetime.time, end_time: datetime.time, topic=""
) -> Session:
    """Add a class to the course's timetable."""
    policy.check(user, "offering_manage", offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.status in (Status.FINISHED, Status.CANCELLED):
        raise DomainError(_("A finished or cancelled course takes no more sessions."))
    if end_time <= start_time:
        raise DomainError(_("A session ends after it starts."), field="end_time")
    if offering.sessions.filter(date=date, start_time__lt=end_time, end_time__gt=start_time).exists():
        raise DomainError(_("This session overlaps another one of the course."), field="start_time")
    session = Session.objects.create(
        offering=offering, date=date, start_time=start_time, end_time=end_time, topic=(topic or "").strip()
    )
    _refresh_dates(offering)
    return session


@transaction.atomic
def session_delete(*, user, session: Session) -> None:
    policy.check(user, "offering_manage", session.offering)
    offering = Offering.objects.select_for_update().get(pk=session.offering_id)
    if offering.status not in (Status.PLANNED, Status.OPEN):
        raise DomainError(_("Sessions can be removed only before the course starts."))
    session.delete()
    _refresh_dates(offering)


@transaction.atomic
def offering_set_status(*, user, offering: Offering, status: str, reason: str = "") -> Offering:
    """Move a course along planned -> open -> running -> finished, or cancel it.

    Finishing decides who completed it (the centre's attendance threshold), gives them
    a certificate code, and schedules everyone's follow-up visit.
    """
    policy.check(user, "offering_manage", offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if status not in Status.values:
        raise DomainError(_("Unknown status."), field="status")
    if status not in TRANSITIONS[offering.status]:
        raise DomainError(
            _("A course %(current)s cannot become %(target)s.")
            % {"current": offering.get_status_display().lower(), "target": Status(status).label.lower()},
            field="status",
        )
    has_sessions = offering.sessions.exists()
    if status in (Status.OPEN, Status.RUNNING, Status.FINISHED) and not has_sessions:
        raise DomainError(_("Add the sessions of the course first."), field="status")
    if status == Status.RUNNING and not (offering.instructor_user_id or offering.instructor_consultant_id):
        raise DomainError(_("Name the instructor before the course starts."), field="status")
    if status == Status.CANCELLED:
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_("Say why the course is cancelled."), field="reason")
        offering.cancel_reason = reason[:300]
    offering.status = status
    offering.save(update_fields=["status", "cancel_reason", "updated_at"])
    if status == Status.FINISHED:
        _decide_completion(offering)
    return offering


def new_certificate_code() -> str:
    """A random code, unique among the certificates, with no letters that read alike (0/O, 1/I)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(12))
        if not Enrolment.objects.filter(certificate_code=code).exists():
            return code


def _decide_completion(offering: Offering) -> None:
    rules = centre_settings(offering.centre_id)
    sessions = offering.sessions.count()
    due_on = (offering.ends_on or timezone.localdate()) + datetime.timedelta(days=rules.training_followup_days)
    enrolled = offering.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related("entrepreneur")
    present = _present_counts(offering)
    for enrolment in enrolled:
        share = Decimal(present.get(enrolment.pk, 0) * 100) / sessions
        enrolment.completed = share >= rules.training_completion_attendance
        if enrolment.completed and not enrolment.certificate_code:
            enrolment.certificate_code = new_certificate_code()
        enrolment.save(update_fields=["completed", "certificate_code", "updated_at"])
        FollowUp.objects.get_or_create(enrolment=enrolment, defaults={"centre": offering.centre, "due_on": due_on})


def _present_counts(offering: Offering) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Attendance.objects.filter(enrolment__offering=offering, present=True)
        .values("enrolment_id")
        .annotate(n=Count("id"))
    )
    return {row["enrolment_id"]: row["n"] for row in rows}


# --- Enrolment ----------------------------------------------------------------------------------


@seats_serialised
@transaction.atomic
def enrolment_create(*, user, offering: Offering, entrepreneur: Entrepreneur, voucher_code: str = "") -> Enrolment:
    """Enrol a person: a seat while there are seats, else a place on the waiting list.

    The offering's row is locked first, so seats are counted by one enrolment at a
    time even when several people take the last seat at once. A seat answers the
    person's open training needs. A BonoPyME voucher, when given, pays the participant's
    fee: funds redeems it (once, valid, the person's or their company's, worth the fee),
    or refuses and nothing is enrolled.
    """
    policy.check(user, "enrolment_create", offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.status == Status.CANCELLED:
        raise DomainError(_("This course was cancelled: nobody can enrol in it."), field="offering")
    if offering.status not in ENROLLING:
        raise DomainError(_("This course is not open for enrolment."), field="offering")
    if entrepreneur.centre_id != offering.centre_id:
        raise DomainError(_("The person is registered at another centre."), field="entrepreneur")
    if offering.enrolments.filter(entrepreneur=entrepreneur).exclude(status=Enrolment.Status.WITHDRAWN).exists():
        raise DomainError(_("This person is already enrolled in the course."), field="entrepreneur")
    taken = offering.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    enrolment = Enrolment(
        centre_id=offering.centre_id,
        offering=offering,
        entrepreneur=entrepreneur,
        company_id=entrepreneur.company_id,
        enrolled_by=user,
    )
    if taken < offering.capacity:
        enrolment.status = Enrolment.Status.ENROLLED
    else:
        enrolment.status = Enrolment.Status.WAITING
        enrolment.waiting_since = timezone.now()
    enrolment.voucher_code = (voucher_code or "").strip().upper()
    enrolment.save()
    if enrolment.voucher_code:
        _redeem_voucher(user=user, enrolment=enrolment, offering=offering)
    if enrolment.status == Enrolment.Status.ENROLLED:
        _answer_training_needs(user=user, enrolment=enrolment)
    return enrolment


@seats_serialised
@transaction.atomic
def enrolment_withdraw(*, user, enrolment: Enrolment) -> Enrolment:
    """Take a person off the course (or off its waiting list); a freed seat goes to the first who waits."""
    policy.check(user, "enrolment_withdraw", enrolment.offering)
    offering = Offering.objects.select_for_update().get(pk=enrolment.offering_id)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise DomainError(_("This person had already withdrawn."))
    if offering.status in (Status.FINISHED, Status.CANCELLED):
        raise DomainError(_("The course is over: its list of participants is closed."))
    freed = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save(update_fields=["status", "updated_at"])
    if enrolment.voucher_code:
        voucher_release(user=user, code=enrolment.voucher_code, reference=_voucher_reference(enrolment))
    if freed:
        _promote_waiting(user=user, offering=offering)
    return enrolment


def _voucher_reference(enrolment: Enrolment) -> str:
    return f"training.enrolment:{enrolment.pk}"


def _redeem_voucher(*, user, enrolment: Enrolment, offering: Offering) -> None:
    """The voucher pays the participant's fee (price less subsidy), through funds' one redemption rule."""
    fee = offering.participant_fee
    if fee <= 0:
        raise DomainError(_("This course costs the participant nothing: there is nothing for a voucher to pay."),
                          field="voucher_code")  # fmt: skip
    voucher_redeem(
        user=user, code=enrolment.voucher_code, amount=fee, cost=fee, reference=_voucher_reference(enrolment),
        entrepreneur=enrolment.entrepreneur, company=enrolment.entrepreneur.company,
    )  # fmt: skip


def _promote_waiting(*, user, offering: Offering) -> list[Enrolment]:
    """Give free seats to the waiting list, first come first served (the offering row is already locked)."""
    free = offering.capacity - offering.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    if free <= 0:
        return []
    promoted = list(offering.enrolments.filter(status=Enrolment.Status.WAITING).order_by("waiting_since", "id")[:free])
    for enrolment in promoted:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status", "updated_at"])
        _answer_training_needs(user=user, enrolment=enrolment)
    return promoted


def _answer_training_needs(*, user, enrolment: Enrolment) -> None:
    person = enrolment.entrepreneur
    mine = Q(entrepreneur=person)
    if person.company_id:
        mine |= Q(company_id=person.company_id, entrepreneur__isnull=True)
    needs = Need.objects.filter(mine, status=Need.Status.OPEN, need_type=NeedType.TRAINING)
    label = f"{enrolment.offering.code} {enrolment.offering.module.name}"
    for need in needs:
        clients_services.need_mark_answered(user=user, need=need, answered_by=label)


# --- Attendance and tests -----------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, user, offering: Offering, marks: list[tuple[int, int, bool]]) -> int:
    """Record the attendance of the whole list at once: (enrolment id, session id, present) triples.

    Every pair must belong to this course; one that does not refuses the whole list.
    """
    policy.check(user, "attendance_record", offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.status != Status.RUNNING:
        raise DomainError(_("Attendance is taken while the course is running."))
    sessions = set(offering.sessions.values_list("pk", flat=True))
    enrolments = set(offering.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list("pk", flat=True))
    for enrolment_id, session_id, _present in marks:
        if session_id not in sessions:
            raise DomainError(_("That session belongs to another course."), field="session")
        if enrolment_id not in enrolments:
            raise DomainError(_("That person holds no seat in this course."), field="enrolment")
    existing = {(a.enrolment_id, a.session_id): a for a in Attendance.objects.filter(enrolment__offering=offering)}
    changed = 0
    for enrolment_id, session_id, present in marks:
        row = existing.get((enrolment_id, session_id))
        if row is None:
            Attendance.objects.create(enrolment_id=enrolment_id, session_id=session_id, present=bool(present))
            changed += 1
        elif row.present != bool(present):
            row.present = bool(present)
            row.save(update_fields=["present"])
            changed += 1
    return changed


def clean_score(value, *, field: str) -> Decimal | None:
    """A test score on the Peruvian scale, 0 to 20 with one decimal; empty is no score yet."""
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("A score is a number from 0 to 20."), field=field) from None
    if score < SCORE_MIN or score > SCORE_MAX:
        raise DomainError(_("A score goes from 0 to 20 (the Peruvian scale)."), field=field)
    return score


@transaction.atomic
def scores_record(*, user, offering: Offering, scores: dict[int, tuple]) -> int:
    """Record entry and exit test scores: {enrolment id: (entry, exit)}; any score out of 0-20 refuses all."""
    policy.check(user, "scores_record", offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.status not in (Status.RUNNING, Status.FINISHED):
        raise DomainError(_("Test scores are entered once the course has started."))
    enrolments = {e.pk: e for e in offering.enrolments.filter(status=Enrolment.Status.ENROLLED, pk__in=list(scores))}
    cleaned = {}
    for enrolment_id, (entry, exit_) in scores.items():
        if enrolment_id not in enrolments:
            raise DomainError(_("That person holds no seat in this course."), field="enrolment")
        cleaned[enrolment_id] = (clean_score(entry, field="entry_score"), clean_score(exit_, field="exit_score"))
    for enrolment_id, (entry, exit_) in cleaned.items():
        enrolment = enrolments[enrolment_id]
        enrolment.entry_score, enrolment.exit_score = entry, exit_
        enrolment.save(update_fields=["entry_score", "exit_score", "updated_at"])
    return len(cleaned)


# --- Follow-up ----------------------------------------------------------------------------------


@transaction.atomic
def followup_record(
    *, user, followup: FollowUp, date: datetime.date, result: str, notes: str = "", wants_assistance: bool = False
) -> FollowUp:
    """Record the post-course visit; wanting technical assistance records a need the assistance desk picks up."""
    policy.check(user, "followup_record", followup)
    followup = FollowUp.objects.select_for_update().select_related("enrolment").get(pk=followup.pk)
    if followup.is_done:
        raise DomainError(_("This follow-up was already recorded."))
    if result not in FollowUp.Result.values:
        raise DomainError(_("Say whether the course was applied."), field="result")
    if date > timezone.localdate():
        raise DomainError(_("The visit cannot be in the future."), field="date")
    followup.date, followup.result = date, result
    followup.notes = (notes or "").strip()
    followup.wants_assistance = wants_assistance
    followup.recorded_by = user
    enrolment = followup.enrolment
    if wants_assistance:
        followup.need = clients_services.need_create(
            user=user,
            centre=followup.centre,
            need_type=NeedType.ASSISTANCE,
            source="training",
            company=enrolment.company,
            entrepreneur=enrolment.entrepreneur,
            note=followup.notes or str(_("Asked for after a course")),
        )
    followup.save()
    return followup
