from django.contrib.auth.models import AbstractUser
from django.db import models
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
