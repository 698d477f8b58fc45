"""Training (capacitación): the module catalogue, course offerings, enrolments and the post-course follow-up.

A module (the seed's annex 9.1/9.2) is run at a centre as an offering, with
sessions; entrepreneurs enrol (with or without a company, counted apart), attend,
sit an entry and an exit test on the Peruvian 0-20 scale, and those who attend
enough get a certificate. A follow-up visit after the course measures whether it
was applied. The rules live in ``training.services``.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Company, Entrepreneur, Need, Subsector
from consultants.models import Consultant
from core.models import Centre, TimeStampedModel
from core.money import MONEY, ZERO

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("20")


class Module(TimeStampedModel):
    """A course module of the catalogue, with its teaching materials (components)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    subsector = models.ForeignKey(
        Subsector, verbose_name=_("subsector"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    objectives = models.TextField(_("objectives"), blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), default=12)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    delivered_on = models.DateField(_("delivered to the centre on"), null=True, blank=True)
    centres = models.ManyToManyField(Centre, verbose_name=_("centres that hold it"), blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(hours__gte=1), name="module_hours_at_least_one")]

    def __str__(self) -> str:
        return self.name


def component_path(instance, filename: str) -> str:
    return f"training/modules/{instance.module_id}/{filename}"


class ModuleComponent(models.Model):
    """One teaching material of a module; the file may come later than the record of its delivery."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Participant manual")
        GUIDE = "guide", _("Methodology guide")
        ENTRY_TEST = "entry_test", _("Entry test")
        EXIT_TEST = "exit_test", _("Exit test")
        CONTENT = "content", _("Course contents")

    module = models.ForeignKey(Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=component_path, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("module component")
        verbose_name_plural = _("module components")
        ordering = ["module", "kind"]
        constraints = [models.UniqueConstraint(fields=["module", "kind"], name="one_component_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.module}: {self.get_kind_display()}"


class Offering(TimeStampedModel):
    """A module run at a centre: its sessions, venue, instructor, seats and price."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    class Venue(models.TextChoices):
        CENTRE = "centre", _("At the centre")
        OUTSIDE = "outside", _("Outside workshop")

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey(Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="offerings")
    code = models.CharField(_("code"), max_length=20, unique=True, null=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    venue_kind = models.CharField(_("venue"), max_length=8, choices=Venue.choices, default=Venue.CENTRE)
    venue = models.CharField(_("address of the venue"), max_length=200, blank=True)
    instructor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor (staff)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    instructor_consultant = models.ForeignKey(
        Consultant,
        verbose_name=_("instructor (consultant)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
    )
    capacity = models.PositiveSmallIntegerField(_("seats"), default=20)
    price = models.DecimalField(_("price per participant (S/)"), **MONEY, default=ZERO)
    subsidy = models.DecimalField(_("subsidy per participant (S/)"), **MONEY, default=ZERO)
    # Kept in step with the sessions by the session services, so the calendar reads them without a join.
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("course offering")
        verbose_name_plural = _("course offerings")
        ordering = [F("starts_on").desc(nulls_first=True), "-id"]
        indexes = [models.Index(fields=["centre", "status"], name="offering_centre_status")]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="offering_capacity_at_least_one"),
            models.CheckConstraint(condition=Q(price__gte=0), name="offering_price_not_negative"),
            models.CheckConstraint(
                condition=Q(subsidy__gte=0) & Q(subsidy__lte=F("price")), name="offering_subsidy_within_price"
            ),
            models.CheckConstraint(
                condition=Q(instructor_user__isnull=True) | Q(instructor_consultant__isnull=True),
                name="offering_one_instructor",
            ),
            models.CheckConstraint(
                condition=~Q(venue_kind="outside") | ~Q(venue=""), name="offering_outside_venue_has_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code or '—'} · {self.module}"

    @property
    def participant_fee(self):
        """What each participant pays: the price less the subsidy."""
        return self.price - self.subsidy

    @property
    def instructor(self):
        return self.instructor_consultant or self.instructor_user


class Session(models.Model):
    """One class of an offering: a date and a time."""

    offering = models.ForeignKey(
        Offering, verbose_name=_("offering"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="session_ends_after_it_starts")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class Enrolment(TimeStampedModel):
    """An entrepreneur in an offering: a seat or a place on the waiting list, the tests and the result."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITING = "waiting", _("Waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(
        Offering, verbose_name=_("offering"), on_delete=models.PROTECT, related_name="enrolments"
    )
    entrepreneur = models.ForeignKey(
        Entrepreneur, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="enrolments"
    )
    # The company the person came with when they enrolled (none: an emprendedor, counted apart).
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    entry_score = models.DecimalField(_("entry test (0-20)"), max_digits=4, decimal_places=1, null=True, blank=True)
    exit_score = models.DecimalField(_("exit test (0-20)"), max_digits=4, decimal_places=1, null=True, blank=True)
    completed = models.BooleanField(_("completed"), null=True, blank=True, help_text=_("Decided when the course ends."))
    voucher_code = models.CharField(
        _("BonoPyME voucher"),
        max_length=30,
        blank=True,
        help_text=_("Redeemed through funds for the participant's fee."),
    )
    certificate_code = models.CharField(_("certificate code"), max_length=16, unique=True, null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["offering", "entrepreneur__last_name", "entrepreneur__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "entrepreneur"],
                condition=~Q(status="withdrawn"),
                name="one_live_enrolment_per_person_and_offering",
            ),
            models.CheckConstraint(
                condition=Q(entry_score__isnull=True) | (Q(entry_score__gte=0) & Q(entry_score__lte=20)),
                name="enrolment_entry_score_0_to_20",
            ),
            models.CheckConstraint(
                condition=Q(exit_score__isnull=True) | (Q(exit_score__gte=0) & Q(exit_score__lte=20)),
                name="enrolment_exit_score_0_to_20",
            ),
            models.CheckConstraint(
                condition=Q(certificate_code__isnull=True) | Q(completed=True),
                name="enrolment_certificate_only_when_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entrepreneur} · {self.offering}"

    @property
    def gain(self):
        """The learning measure: exit score less entry score (None until both are in)."""
        if self.entry_score is None or self.exit_score is None:
            return None
        return self.exit_score - self.entry_score


class Attendance(models.Model):
    """Whether one participant came to one session."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField(_("present"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["enrolment", "session"], name="one_attendance_per_session")]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.session}"


class FollowUp(TimeStampedModel):
    """The visit after the course: was it applied? It may ask for technical assistance."""

    class Result(models.TextChoices):
        APPLIED = "applied", _("Applied")
        PARTLY = "partly", _("Partly applied")
        NOT_APPLIED = "not_applied", _("Not applied")

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="followup"
    )
    due_on = models.DateField(_("due on"))
    date = models.DateField(_("date of the visit"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    wants_assistance = models.BooleanField(_("wants technical assistance"), default=False)
    need = models.ForeignKey(
        Need, verbose_name=_("need recorded"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("post-course follow-up")
        verbose_name_plural = _("post-course follow-ups")
        ordering = ["due_on", "id"]
        indexes = [
            # The centre's follow-ups still to do, oldest due first (the home page and the daily reminders).
            models.Index(
                fields=["centre", "due_on", "id"], condition=Q(date__isnull=True), name="followup_pending_due"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(date__isnull=True) | ~Q(result=""), name="followup_done_has_a_result"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.due_on:%d/%m/%Y}"

    @property
    def is_done(self) -> bool:
        return self.date is not None
