import uuid

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
    again at download time by the report's kind (see core.reports).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("record"))
    requested_by = models.ForeignKey(
        "core.User", verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="report_jobs"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to=report_path, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "object_id"], name="reportjob_kind_object")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
