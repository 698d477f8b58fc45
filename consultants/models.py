"""The consultant directory (cartera de consultores): the experts the service apps call on.

Assistance assigns them to services; training (instructors) and consultations
(specialists) will too, so the directory depends only on ``clients`` and ``core``.

The tables keep the names they had when the directory lived in ``assistance``
(``db_table``): the move to this app changed no row (see migration 0001).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Subsector
from core.models import Centre, TimeStampedModel
from core.money import MONEY, ZERO


class Area(models.TextChoices):
    PRODUCTION = "production", _("Production")
    MANAGEMENT = "management", _("Management")
    MARKETING = "marketing", _("Marketing")
    LEGAL = "legal", _("Legal")


class SpecialtyArea(models.Model):
    """An area of specialty (production, management, marketing, legal)."""

    code = models.CharField(_("code"), max_length=20, unique=True, choices=Area.choices)

    history = HistoricalRecords()

    class Meta:
        db_table = "assistance_specialtyarea"
        verbose_name = _("specialty area")
        verbose_name_plural = _("specialty areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class Consultant(TimeStampedModel):
    """An expert in the directory (cartera de consultores), external or staff."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")
        INACTIVE = "inactive", _("Inactive")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultant_profile",
    )
    first_name = models.CharField(_("first names"), max_length=100)
    last_name = models.CharField(_("last names"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_staff_member = models.BooleanField(_("staff of the centre"), default=False)
    profession = models.CharField(_("profession or degree"), max_length=120, blank=True)
    subsectors = models.ManyToManyField(Subsector, verbose_name=_("subsectors"), blank=True, related_name="+")
    areas = models.ManyToManyField(SpecialtyArea, verbose_name=_("areas"), blank=True, related_name="consultants")
    centres = models.ManyToManyField(Centre, verbose_name=_("centres served"), related_name="consultants")
    hourly_fee = models.DecimalField(_("fee per hour (S/)"), **MONEY, default=ZERO)
    status = models.CharField(_("validation status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    status_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status_decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at"], table_name="assistance_historicalconsultant"
    )

    class Meta:
        db_table = "assistance_consultant"
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")
        ordering = ["last_name", "first_name"]
        constraints = [models.CheckConstraint(condition=Q(hourly_fee__gte=0), name="consultant_fee_not_negative")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


# How many days before an accreditation document expires the directory's keepers are warned.
EXPIRY_WARNING_DAYS = 30
EXPIRES_BEFORE_ISSUE = _("The expiry date cannot be before the issue date.")


def accreditation_path(instance, filename: str) -> str:
    return f"consultants/{instance.consultant_id}/{filename}"


class AccreditationDocument(models.Model):
    """Evidence of accreditation: one document for one of the three requirements of the directory."""

    class Kind(models.TextChoices):
        # The seed's three requirements for entering the directory; validation needs one document of each.
        DEGREE = "degree", _("Professional or technical degree")
        EXPERIENCE = "experience", _("Documented consulting experience")
        METHODOLOGY = "methodology", _("Methodology training for consulting (or references)")

    consultant = models.ForeignKey(
        Consultant, verbose_name=_("consultant"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=accreditation_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Some evidence lapses (a professional licence, a methodology certificate): the daily reminders
    # warn the directory's keepers before it does. Empty: the document does not expire.
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    history = HistoricalRecords(table_name="assistance_historicalaccreditationdocument")

    class Meta:
        db_table = "assistance_accreditationdocument"
        verbose_name = _("accreditation document")
        verbose_name_plural = _("accreditation documents")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(expires_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="accreditation_expires_after_issue",
                violation_error_message=EXPIRES_BEFORE_ISSUE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description or self.file.name}"

    def clean(self) -> None:
        super().clean()
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": EXPIRES_BEFORE_ISSUE})

    def expiry_state(self, today: datetime.date | None = None) -> str:
        """ "expired", "expires_soon" (within EXPIRY_WARNING_DAYS) or "" (no date, or far off)."""
        if self.expires_on is None:
            return ""
        today = today or timezone.localdate()
        if self.expires_on < today:
            return "expired"
        if self.expires_on <= today + datetime.timedelta(days=EXPIRY_WARNING_DAYS):
            return "expires_soon"
        return ""
