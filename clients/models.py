"""The clients of the centre: companies (MyPE), entrepreneurs, their diagnoses and needs.

Every other service hangs from these records. Names of the seed (diagnóstico,
árbol de problemas, protoempresa) are in the verbose names; the code is in English.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Centre, TimeStampedModel
from core.text import FoldedCharField

# --- Catalogues -----------------------------------------------------------------


class Subsector(models.Model):
    """Food subsector (panificación, lácteos, ...): a catalogue the administrator extends."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsector")
        verbose_name_plural = _("subsectors")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Ubigeo(models.Model):
    """A district of Peru with its official INEI ubigeo code (DDPPdd)."""

    code = models.CharField(_("ubigeo code"), max_length=6, primary_key=True)
    department = models.CharField(_("department"), max_length=60)
    province = models.CharField(_("province"), max_length=60)
    district = models.CharField(_("district"), max_length=80)

    # INEI renames and creates districts; the administrator's edits are kept (the loader adds rows in bulk).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("district (ubigeo)")
        verbose_name_plural = _("districts (ubigeo)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.district} ({self.province}, {self.department})"

    @property
    def department_code(self) -> str:
        return self.code[:2]

    @property
    def province_code(self) -> str:
        return self.code[:4]


class UitValue(models.Model):
    """The tax unit (UIT) of a year, in soles: size classes are measured in UIT."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.DecimalField(_("amount (S/)"), max_digits=14, decimal_places=2)
    legal_basis = models.CharField(_("legal basis"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("UIT value")
        verbose_name_plural = _("UIT values")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="uit_amount_positive")]

    def __str__(self) -> str:
        return f"{self.year}: S/ {self.amount:,.2f}"


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium enterprise")
    OUTSIDE = "outside", _("Outside the MyPE regime")


class SizeRule(models.Model):
    """One threshold of a size-class law, valid between two dates.

    For a reference date, the rules in force are tried by rank; the first whose
    limits both hold gives the class. Empty limits do not apply (Ley 30056 counts
    sales only). Nothing matching means outside the MyPE regime.
    """

    law = models.CharField(_("law"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    size_class = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("Smaller classes first."))
    max_workers = models.PositiveIntegerField(_("maximum workers"), null=True, blank=True)
    max_sales_uit = models.DecimalField(
        _("maximum annual sales (UIT)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("size-class rule")
        verbose_name_plural = _("size-class rules")
        ordering = ["valid_from", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="size_rule_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law}: {self.get_size_class_display()}"


# --- Companies and people -----------------------------------------------------------


PERSON_NAMES = ("first_name", "last_name")


def refresh_company_search_names(company_ids) -> None:
    """Recompute the search_name of these companies from their names and their people's: a person saved,
    moved to another company or deleted changes what finds the company."""
    ids = {pk for pk in company_ids if pk is not None}
    if not ids:
        return
    people: dict[int, list[str]] = {}
    rows = Entrepreneur.objects.filter(company_id__in=ids).order_by("pk").values_list("company_id", *PERSON_NAMES)
    for company_id, first, last in rows:
        people.setdefault(company_id, []).append(f"{first} {last}")
    field = Company._meta.get_field("search_name")
    companies = list(Company.objects.filter(pk__in=ids).only("pk", "legal_name", "trade_name"))
    for company in companies:
        company.search_name = field.fold_for(company.legal_name, company.trade_name, *people.get(company.pk, []))
    Company.objects.bulk_update(companies, ["search_name"], batch_size=1000)


def _with_search_name(update_fields, searched: tuple[str, ...]):
    """A partial save that changes a searched name saves the folded column with it."""
    if update_fields is None:
        return None
    fields = list(update_fields)
    if set(fields) & set(searched) and "search_name" not in fields:
        fields.append("search_name")
    return fields


class LegalForm(models.TextChoices):
    NATURAL_PERSON = "natural", _("Natural person with business")
    EIRL = "eirl", _("E.I.R.L.")
    SRL = "srl", _("S.R.L.")
    SAC = "sac", _("S.A.C.")
    SA = "sa", _("S.A.")
    COOPERATIVE = "coop", _("Cooperative")
    ASSOCIATION = "association", _("Association")
    NONE = "none", _("None (informal)")


class RucStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Temporarily suspended")
    CANCELLED = "cancelled", _("Cancelled (baja)")
    NONE = "none", _("No RUC")


class Company(TimeStampedModel):
    """A micro or small business (MyPE) served by a centre."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="companies")
    legal_name = models.CharField(_("legal or trade name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    # Normalised name for the duplicate guard (no accents, no legal suffix, lower case).
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    # Legal and trade name and the names of the company's people, folded (lower case, no accents) for
    # search: one column, so that a search is one indexed condition on one table (no OR across a join).
    # Computed on every write of the company (bulk_create included: a new company has no people yet)
    # and refreshed by Entrepreneur.save() and refresh_company_search_names(). On PostgreSQL a
    # trigram index serves LIKE '%...%' on it (migration 0005).
    search_name = FoldedCharField(max_length=1000, sources=("legal_name", "trade_name", "people_names"))
    ruc = models.CharField(_("RUC"), max_length=11, unique=True, null=True, blank=True)
    ruc_status = models.CharField(_("RUC status"), max_length=12, choices=RucStatus.choices, default=RucStatus.NONE)
    is_formal = models.BooleanField(_("formal"), default=False)
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm.choices, default=LegalForm.NONE)
    subsector = models.ForeignKey(Subsector, verbose_name=_("subsector"), on_delete=models.PROTECT)
    product_lines = models.TextField(_("product lines"), blank=True, help_text=_("One per line."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    district = models.ForeignKey(Ubigeo, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    permanent_men = models.PositiveIntegerField(_("permanent workers, men"), default=0)
    permanent_women = models.PositiveIntegerField(_("permanent workers, women"), default=0)
    temporary_men = models.PositiveIntegerField(_("temporary workers, men"), default=0)
    temporary_women = models.PositiveIntegerField(_("temporary workers, women"), default=0)
    annual_sales = models.DecimalField(_("annual sales (S/)"), max_digits=14, decimal_places=2, null=True, blank=True)
    sales_year = models.PositiveSmallIntegerField(_("year of the sales figure"), null=True, blank=True)
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True, db_index=True, editable=False
    )
    sanitary_registration_number = models.CharField(_("sanitary registration number"), max_length=40, blank=True)
    sanitary_registration_date = models.DateField(_("sanitary registration date"), null=True, blank=True)
    brand_registration_number = models.CharField(_("brand registration number"), max_length=40, blank=True)
    brand_registration_date = models.DateField(_("brand registration date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["legal_name", "id"]
        # The list order, across centres (national roles) and within one: a page is read off the index.
        indexes = [
            models.Index(fields=["legal_name", "id"], name="company_name_id"),
            models.Index(fields=["centre", "legal_name", "id"], name="company_centre_name_id"),
            models.Index(fields=["district", "name_key"], name="company_district_namekey"),
            # Sorting by sales (the list's "highest sales first").
            models.Index(fields=["annual_sales"], name="company_sales"),
            models.Index(fields=["centre", "annual_sales"], name="company_centre_sales"),
            # The open-needs summary reads the subsector of each company with an open need from this index alone.
            models.Index(fields=["id", "subsector"], name="company_id_subsector"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(annual_sales__gte=0), name="company_sales_not_negative"),
            models.CheckConstraint(
                condition=Q(ruc__isnull=True) | Q(ruc__regex=r"^[12][0-9]{10}$"), name="company_ruc_format"
            ),
        ]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    def save(self, *args, **kwargs):
        kwargs["update_fields"] = _with_search_name(kwargs.get("update_fields"), ("legal_name", "trade_name"))
        adding = self._state.adding
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if not adding and (fields is None or "subsector" in fields or "subsector_id" in fields):
            # The needs carry the company's subsector (for the open-needs summary): keep them in step.
            Need.objects.filter(company_id=self.pk).exclude(subsector_id=self.subsector_id).update(
                subsector_id=self.subsector_id
            )

    @property
    def people_names(self) -> str:
        """The names of the company's people, for search_name. A new company has none, unless bulk seeding,
        which inserts it before its people, names them in ``pending_people_names``."""
        if self.pk is None:
            return getattr(self, "pending_people_names", "")
        return " ".join(f"{first} {last}" for first, last in self.people.order_by("pk").values_list(*PERSON_NAMES))

    @property
    def workers_total(self) -> int:
        return self.permanent_men + self.permanent_women + self.temporary_men + self.temporary_women

    @property
    def has_sanitary_registration(self) -> bool:
        return bool(self.sanitary_registration_number)

    @property
    def product_line_list(self) -> list[str]:
        return [line.strip() for line in self.product_lines.splitlines() if line.strip()]


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No formal education")
    PRIMARY_INCOMPLETE = "primary_inc", _("Primary, incomplete")
    PRIMARY = "primary", _("Primary, complete")
    SECONDARY_INCOMPLETE = "secondary_inc", _("Secondary, incomplete")
    SECONDARY = "secondary", _("Secondary, complete")
    HIGHER_INCOMPLETE = "higher_inc", _("Higher, incomplete")
    HIGHER = "higher", _("Higher, complete")


class CompanyRelationship(models.TextChoices):
    OWNER = "owner", _("Owner")
    FAMILY = "family", _("Family member")
    WORKER = "worker", _("Worker")


class Entrepreneur(TimeStampedModel):
    """A person: owner or family member of a company, or an emprendedor without one (protoempresa)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="entrepreneurs")
    first_name = models.CharField(_("first names"), max_length=100)
    last_name = models.CharField(_("last names"), max_length=100)
    dni = models.CharField(_("DNI"), max_length=8, unique=True, null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    education = models.CharField(_("education level"), max_length=14, choices=EducationLevel.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    relationship = models.CharField(
        _("relationship with the company"), max_length=10, choices=CompanyRelationship.choices, blank=True
    )
    district = models.ForeignKey(
        Ubigeo, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    business_idea = models.TextField(
        _("business idea"), blank=True, help_text=_("For emprendedores without a business.")
    )
    # First and last names folded for search, as Company.search_name.
    search_name = FoldedCharField(max_length=201, sources=PERSON_NAMES)
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    # Ley 29733 (personal data): the person's answer to processing their data, when and who wrote it down.
    data_consent = models.BooleanField(
        _("consents to the processing of their personal data"),
        default=False,
        help_text=_("Ley 29733: ask the person and record their answer."),
    )
    data_consent_date = models.DateField(_("date of the consent answer"), null=True, blank=True, editable=False)
    data_consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Set when the person asked to be forgotten: names and contact data are gone, statistics remain.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        verbose_name = _("entrepreneur")
        verbose_name_plural = _("entrepreneurs")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="entrepreneur_name_id"),
            models.Index(fields=["centre", "last_name", "first_name", "id"], name="entrepreneur_centre_name_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dni__isnull=True) | Q(dni__regex=r"^[0-9]{8}$"), name="entrepreneur_dni_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        update_fields = _with_search_name(kwargs.get("update_fields"), PERSON_NAMES)
        kwargs["update_fields"] = update_fields
        # The company's search_name holds its people's names: refresh the company it leaves and the one it joins.
        touches_company = update_fields is None or bool({"company", "company_id", *PERSON_NAMES} & set(update_fields))
        previous = None
        if touches_company and self.pk is not None:
            previous = Entrepreneur.objects.filter(pk=self.pk).values_list("company_id", flat=True).first()
        super().save(*args, **kwargs)
        if touches_company:
            refresh_company_search_names({previous, self.company_id})

    def delete(self, *args, **kwargs):
        company_id = self.company_id
        result = super().delete(*args, **kwargs)
        refresh_company_search_names({company_id})
        return result

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def is_protoenterprise(self) -> bool:
        """An emprendedor without a running business: counted apart from companies everywhere."""
        return self.company_id is None


# --- Diagnosis ------------------------------------------------------------------------


class PatrimonialBand(models.TextChoices):
    UNDER_2500 = "lt2500", _("Under US$ 2,500")
    FROM_2500 = "2500_5000", _("US$ 2,500 - 5,000")
    FROM_5000 = "5000_7500", _("US$ 5,000 - 7,500")
    FROM_7500 = "7500_10000", _("US$ 7,500 - 10,000")
    OVER_10000 = "gt10000", _("Over US$ 10,000")
    NOT_STATED = "not_stated", _("Not stated")


class EquipmentBand(models.TextChoices):
    UNDER_1000 = "lt1000", _("Under US$ 1,000")
    FROM_1000 = "1000_3000", _("US$ 1,000 - 3,000")
    FROM_3000 = "3000_6000", _("US$ 3,000 - 6,000")
    OVER_6000 = "gt6000", _("Over US$ 6,000")
    NOT_STATED = "not_stated", _("Not stated")


class WorkingDay(models.TextChoices):
    UNDER_8 = "lt8", _("Under 8 hours")
    EIGHT = "8", _("8 hours")
    OVER_8 = "gt8", _("Over 8 hours")


class Diagnosis(TimeStampedModel):
    """Business diagnosis (diagnóstico empresarial): the promoter's structured interview."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="diagnoses")
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    promoter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("promoter"), on_delete=models.PROTECT, related_name="diagnoses"
    )
    date = models.DateField(_("date of the interview"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    product_line_count = models.PositiveSmallIntegerField(_("number of product lines"), null=True, blank=True)
    patrimonial_band = models.CharField(
        _("patrimonial value"), max_length=12, choices=PatrimonialBand.choices, blank=True
    )
    equipment_band = models.CharField(_("equipment value"), max_length=12, choices=EquipmentBand.choices, blank=True)
    working_day = models.CharField(_("working day"), max_length=4, choices=WorkingDay.choices, blank=True)
    workers_men = models.PositiveIntegerField(_("workers, men"), null=True, blank=True)
    workers_women = models.PositiveIntegerField(_("workers, women"), null=True, blank=True)
    monthly_sales = models.DecimalField(_("monthly sales (S/)"), max_digits=14, decimal_places=2, null=True, blank=True)
    is_formal = models.BooleanField(_("formal at the time"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        ordering = ["-date", "-id"]
        indexes = [
            # A promoter's drafts, newest first, on their home page: read in this order, not sorted from all.
            models.Index(fields=["promoter", "status", "-date", "-id"], name="diagnosis_promoter_queue"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_sales__gte=0), name="diagnosis_sales_not_negative"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False), name="diagnosis_completed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return _("Diagnosis of %(company)s, %(date)s") % {
            "company": self.company,
            "date": self.date.strftime("%d/%m/%Y"),
        }

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class ProblemNode(models.Model):
    """A node of the problem tree (árbol de problemas): the central problem, a cause or an effect."""

    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central problem")
        CAUSE = "cause", _("Cause")
        EFFECT = "effect", _("Effect")

    diagnosis = models.ForeignKey(
        Diagnosis, verbose_name=_("diagnosis"), on_delete=models.CASCADE, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    to_address = models.BooleanField(
        _("to address"), default=False, help_text=_("Chosen for action: it can become the scope of a service.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem-tree node")
        verbose_name_plural = _("problem-tree nodes")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagnosis"], condition=Q(kind="central"), name="one_central_problem_per_diagnosis"
            ),
            models.CheckConstraint(
                condition=(Q(kind="central") & Q(parent__isnull=True)) | (~Q(kind="central") & Q(parent__isnull=False)),
                name="only_the_central_problem_is_a_root",
            ),
        ]

    def __str__(self) -> str:
        return self.text


# --- Demand ---------------------------------------------------------------------------


class NeedType(models.TextChoices):
    TRAINING = "training", _("Training")
    ASSISTANCE = "assistance", _("Technical assistance")
    INFORMATION = "information", _("Information")
    CREDIT = "credit", _("Credit")
    EQUIPMENT = "equipment", _("Equipment")
    COMMERCIAL = "commercial", _("Commercial articulation")


class Need(TimeStampedModel):
    """A need found (in a diagnosis, a consultation, an evaluation): demand that a service answers.

    The app that answers it marks it answered; conversion is read here, without
    the desk knowing every service app.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        DISMISSED = "dismissed", _("Dismissed")

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, null=True, blank=True, related_name="needs"
    )
    entrepreneur = models.ForeignKey(
        Entrepreneur,
        verbose_name=_("entrepreneur"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needs",
    )
    diagnosis = models.ForeignKey(
        Diagnosis, verbose_name=_("diagnosis"), on_delete=models.CASCADE, null=True, blank=True, related_name="needs"
    )
    need_type = models.CharField(_("need"), max_length=12, choices=NeedType.choices)
    # The company's subsector, copied (and kept in step by Company.save) so that counting open needs by
    # subsector reads this table alone, not a join with every company.
    subsector = models.ForeignKey(
        Subsector, verbose_name=_("subsector"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False,
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    source = models.CharField(_("found in"), max_length=20, default="diagnosis")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=120, blank=True, help_text=_("What answered it."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_at", "id"], name="need_created_id"),
            models.Index(fields=["centre", "created_at", "id"], name="need_centre_created_id"),
            models.Index(
                fields=["centre", "subsector", "need_type"], condition=Q(status="open"), name="need_open_summary"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=False) | Q(entrepreneur__isnull=False), name="need_has_a_client"
            ),
            models.UniqueConstraint(
                fields=["diagnosis", "need_type"],
                condition=Q(diagnosis__isnull=False),
                name="one_need_per_type_per_diagnosis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_need_type_display()}: {self.company or self.entrepreneur}"

    def save(self, *args, **kwargs):
        if self.company_id is not None and self.subsector_id is None:
            self.subsector_id = self.company.subsector_id
        super().save(*args, **kwargs)

    @classmethod
    def fill_subsectors(cls) -> int:
        """Copy the company's subsector onto needs inserted in bulk without it (bulk_create skips save)."""
        subsector = Company.objects.filter(pk=models.OuterRef("company_id")).values("subsector_id")[:1]
        return cls.objects.filter(company__isnull=False, subsector__isnull=True).update(
            subsector_id=models.Subquery(subsector)
        )
