"""Technical consultations (consultas técnicas): ten-minute answers at the front desk.

A consultation is the seed's worksheet record (hoja de trabajo) and a hinge: it can
refer the person to assistance, training or credit. The referral is a ``clients.Need``
(source "consultation"); whether it converted is read from that need, never from the
app that answered it. The desk's reference library (supplier directory, fact sheets on
legal requirements, the packaging institute's supplier list) lives here too.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Company, Entrepreneur, Need, Subsector, Ubigeo
from core.models import Centre, TimeStampedModel

# --- Catalogue ---------------------------------------------------------------------------------


class Topic(models.Model):
    """What a consultation was about (the seed counted technological information most): admin-editable."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


# --- The reference library -----------------------------------------------------------------------


class Supplier(TimeStampedModel):
    """An entry of the desk's supplier directory: the centre's own or the packaging institute's list.

    Without a centre the entry serves the whole network (the institute's list is national).
    """

    class Source(models.TextChoices):
        CENTRE = "centre", _("Centre's directory")
        PACKAGING_INSTITUTE = "ipenbal", _("Packaging institute (Ipenbal)")

    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for an entry that serves every centre."),
    )
    name = models.CharField(_("name"), max_length=200)
    supplies = models.CharField(_("what they supply"), max_length=300)
    subsector = models.ForeignKey(
        Subsector, verbose_name=_("subsector"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True, help_text=_("Person, phone, e-mail, web."))
    district = models.ForeignKey(
        Ubigeo, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.CENTRE)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


def fact_sheet_path(instance, filename: str) -> str:
    return f"fact_sheets/{filename}"


class FactSheet(TimeStampedModel):
    """A fact sheet on the legal requirements for food products (e.g. the DIGESA sanitary registration)."""

    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for a sheet that serves every centre."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=fact_sheet_path, blank=True)
    subsector = models.ForeignKey(
        Subsector, verbose_name=_("subsector"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fact sheet")
        verbose_name_plural = _("fact sheets")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


# --- Consultations ---------------------------------------------------------------------------------


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    INTERNET = "internet", _("Internet")


class Referral(models.TextChoices):
    ASSISTANCE = "assistance", _("Technical assistance")
    TRAINING = "training", _("Course")
    CREDIT = "credit", _("Credit")


class Consultation(TimeStampedModel):
    """One consultation: who asked, about what, the answer, how long it took, and where it referred them."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VISIT)
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="consultations")
    subsector = models.ForeignKey(
        Subsector, verbose_name=_("subsector"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), editable=False)
    # Flagged when saved, against the centre's limit then in force (the service is at most ten minutes).
    over_limit = models.BooleanField(_("longer than the limit"), default=False, editable=False)
    # Who asked: a registered company or person, or a quick contact to complete into a client later.
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    entrepreneur = models.ForeignKey(
        Entrepreneur,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    contact_name = models.CharField(_("contact's name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact's phone"), max_length=30, blank=True)
    contact_district = models.ForeignKey(
        Ubigeo, verbose_name=_("contact's district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral = models.CharField(_("referred to"), max_length=12, choices=Referral.choices, blank=True)
    # A course offering by id or name: consultations must not know the training app.
    referral_course = models.CharField(_("course referred to"), max_length=200, blank=True)
    need = models.OneToOneField(
        Need,
        verbose_name=_("need recorded"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation",
    )
    suppliers = models.ManyToManyField(Supplier, verbose_name=_("suppliers named"), blank=True, related_name="+")
    fact_sheets = models.ManyToManyField(FactSheet, verbose_name=_("fact sheets used"), blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["centre", "-started_at"], name="consultation_centre_started")]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gte=F("started_at")), name="consultation_ends_after_start"),
            models.CheckConstraint(
                condition=Q(company__isnull=False) | Q(entrepreneur__isnull=False) | ~Q(contact_name=""),
                name="consultation_has_someone_asking",
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.started_at):%d/%m/%Y %H:%M} · {self.asked_by}"

    @property
    def asked_by(self) -> str:
        return str(self.company or self.entrepreneur or self.contact_name)

    @property
    def is_quick_contact(self) -> bool:
        """Only a name and a phone: not yet a client of the registry."""
        return self.company_id is None and self.entrepreneur_id is None

    @property
    def duration_minutes(self) -> float:
        return round(self.duration_seconds / 60, 1)

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"
