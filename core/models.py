import uuid
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    """Base for domain records: when each row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Centre(TimeStampedModel):
    """A service centre (e.g. CentroPyME Huancayo). Every record belongs to one."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    department = models.CharField(_("department"), max_length=60)
    city = models.CharField(_("city"), max_length=80)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Roles are groups (see core.roles); centres say whose records they see."""

    centres = models.ManyToManyField(
        Centre,
        verbose_name=_("centres"),
        related_name="staff",
        blank=True,
        help_text=_("The centres whose records this person works with."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email_digest = models.BooleanField(
        _("daily e-mail of reminders"),
        default=True,
        db_default=True,  # rows written by older code (a data migration's historical model) get it too
        help_text=_("One e-mail a day listing the new reminders, besides the bell in the menu."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def report_path(instance, filename: str) -> str:
    return f"reports/{instance.created_at:%Y/%m}/{instance.pk}/{filename}"


class ReportJob(models.Model):
    """A printable document (PDF) requested by a user and rendered by a Celery task.

    The page polls the job until the file is ready. Who may download it is decided
    again at download time by the report's kind (see core.reports). A job is the
    unit of work the broker carries: it is created first and enqueued after commit,
    so a broker that is down leaves it queued (a beat sweep sends it again), never lost.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        "core.User", verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="report_jobs"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("file"), upload_to=report_path, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="reportjob_kind_object"),
            models.Index(fields=["requested_by", "-created_at"], name="reportjob_user_created"),
            models.Index(fields=["status", "created_at"], name="reportjob_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def duration(self):
        """How long the rendering took (the last attempt), when it finished."""
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class Notification(models.Model):
    """A reminder for one person: something of theirs falls due (an evaluation, an instalment).

    Written by the daily scan (``core.reminders``) from the due dates the apps keep in
    their own tables; the unique constraint makes the scan idempotent: however often it
    runs, one person is reminded once of one item for one due date.
    """

    recipient = models.ForeignKey(
        "core.User", verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    item = models.CharField(_("item"), max_length=80, help_text=_("app.model:id of what the reminder is about"))
    due_on = models.DateField(_("due on"))
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "item", "due_on"], name="notification_once_per_item_and_due_date"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["emailed_at", "recipient"], name="notification_to_email"),
        ]

    def __str__(self) -> str:
        return self.message


class CentreSettings(TimeStampedModel):
    """The domain's parameters a centre may change: time limits, windows, weights, scales.

    The row without a centre is the network default; a centre's own row, when there is
    one, replaces it whole for that centre. Read them through ``core.selectors.centre_settings``
    (cached for the length of a request), never as constants.
    """

    centre = models.OneToOneField(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="settings",
        help_text=_("Leave empty for the network default, used by every centre without its own settings."),
    )
    # Technical assistance: days a service may sit in a stage before the board marks it late.
    promotion_limit_days = models.PositiveSmallIntegerField(_("promotion: days before late"), default=30)
    diagnosis_limit_days = models.PositiveSmallIntegerField(_("diagnosis: days before late"), default=30)
    proposal_limit_days = models.PositiveSmallIntegerField(_("proposal: days before late"), default=30)
    action_plan_limit_days = models.PositiveSmallIntegerField(_("action plan: days before late"), default=21)
    execution_limit_days = models.PositiveSmallIntegerField(_("execution: days before late"), default=90)
    # The evaluation visit: from ... until ... days after execution ends.
    evaluation_from_days = models.PositiveSmallIntegerField(_("evaluation due from (days after execution)"), default=30)
    evaluation_until_days = models.PositiveSmallIntegerField(
        _("evaluation due until (days after execution)"), default=60
    )
    satisfaction_scale = models.PositiveSmallIntegerField(
        _("owner's satisfaction scale (1 to ...)"), default=5, help_text=_("From 3 to 10.")
    )
    # The consultant directory.
    idle_consultant_months = models.PositiveSmallIntegerField(
        _("months without a service before a validated consultant counts as idle"), default=12
    )
    suggestion_weight_subsector = models.DecimalField(
        _("suggestions: weight of the subsector"), max_digits=5, decimal_places=2, default=Decimal("4")
    )
    suggestion_weight_area = models.DecimalField(
        _("suggestions: weight of the area"), max_digits=5, decimal_places=2, default=Decimal("2")
    )
    suggestion_weight_score = models.DecimalField(
        _("suggestions: weight of the average score"), max_digits=5, decimal_places=2, default=Decimal("1")
    )
    suggestion_weight_workload = models.DecimalField(
        _("suggestions: penalty per open service"), max_digits=5, decimal_places=2, default=Decimal("0.5")
    )
    # Technical consultations: the service is defined as at most ten minutes; longer ones are flagged.
    consultation_limit_minutes = models.PositiveSmallIntegerField(
        _("consultations: minutes before one is flagged as long"), default=10
    )
    referral_window_days = models.PositiveSmallIntegerField(
        _("consultations: days a referral has to be answered to count as converted"), default=90
    )
    # Training: who completes a course, and when the post-course visit falls due.
    training_completion_attendance = models.PositiveSmallIntegerField(
        _("training: attendance needed to complete a course (%)"), default=75, help_text=_("From 1 to 100.")
    )
    training_followup_days = models.PositiveSmallIntegerField(
        _("training: follow-up visit due (days after the course)"), default=30
    )
    # The rotating credit fund: defaults of a new loan product, and the days late that count as delinquent.
    credit_default_monthly_rate = models.DecimalField(
        _("credit: default monthly interest rate (%)"), max_digits=6, decimal_places=3, default=Decimal("3.5")
    )
    credit_default_fee_rate = models.DecimalField(
        _("credit: default processing fee (% of the principal)"), max_digits=6, decimal_places=3, default=Decimal("2")
    )
    credit_par_days = models.PositiveSmallIntegerField(
        _("credit: days late from which a loan is at risk (PAR)"), default=30
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centre settings")
        verbose_name_plural = _("centre settings")
        ordering = [models.F("centre__name").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                models.functions.Coalesce("centre", models.Value(0)), name="one_settings_row_per_centre_and_default"
            ),
            models.CheckConstraint(
                condition=models.Q(evaluation_from_days__lt=models.F("evaluation_until_days")),
                name="evaluation_window_opens_before_it_closes",
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction_scale__gte=3) & models.Q(satisfaction_scale__lte=10),
                name="satisfaction_scale_3_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(training_completion_attendance__gte=1)
                & models.Q(training_completion_attendance__lte=100),
                name="training_completion_attendance_1_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(promotion_limit_days__gte=1)
                & models.Q(diagnosis_limit_days__gte=1)
                & models.Q(proposal_limit_days__gte=1)
                & models.Q(action_plan_limit_days__gte=1)
                & models.Q(execution_limit_days__gte=1)
                & models.Q(idle_consultant_months__gte=1),
                name="limits_are_at_least_one",
            ),
            models.CheckConstraint(
                condition=models.Q(consultation_limit_minutes__gte=1) & models.Q(referral_window_days__gte=1),
                name="consultation_limits_are_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return str(self.centre) if self.centre_id else str(_("Network default"))

    def stage_limit_days(self, stage: str) -> int | None:
        """Days a service may stay in ``stage`` (None: the stage has no limit of its own)."""
        return getattr(self, f"{stage}_limit_days", None)


class SubmissionToken(models.Model):
    """One submission of a create form (or an API create with an ``Idempotency-Key``): claimed once.

    The form carries a random token (``{% submission_token %}``); the view claims it in the
    same transaction as the create (``core.idempotency``), so a double click or a resent
    request finds it taken and is sent to what the first submission created. A create that
    fails rolls back with its claim, and the same form may be sent again.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey("core.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    view = models.CharField(_("form"), max_length=100)
    url = models.CharField(_("created record"), max_length=300, blank=True)
    record_id = models.CharField(_("created record id"), max_length=40, blank=True)  # API creates
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.view} {self.token}"
