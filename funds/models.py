"""Co-financing and competitive funds: BonoPyME vouchers and PROCOMPITE contests.

Vouchers are redeemed by the other apps through ``funds.services.voucher_redeem``; this
app imports only ``clients`` and ``core``, so a redemption names what it paid for with a
plain reference ("assistance.fundingline:12"), never a foreign key into another app.

A contest (convocatoria) carries its own rules as data: the categories A / B / C of the
Directiva General N° 001-2021-PRODUCE with their limits, the evaluation criteria with
their weights, the UIT of the year, the execution limit (two years). Business plans of
organised economic agents (AEO) are checked against their category's rules, scored by
the committee, ranked, and the winners' purchases are tracked until delivery.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Company, Entrepreneur, Ubigeo
from core.models import Centre, TimeStampedModel
from core.money import MONEY, ZERO

PERCENT = {"max_digits": 5, "decimal_places": 2}

# --- Vouchers (BonoPyME) ------------------------------------------------------------------


class VoucherProgramme(TimeStampedModel):
    """A programme that issues vouchers (e.g. BonoPyME of PRODUCE) and what it co-finances."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="voucher_programmes"
    )
    name = models.CharField(_("name"), max_length=120)
    funder = models.CharField(_("funder"), max_length=120, blank=True, help_text=_("E.g. PRODUCE, a project."))
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voucher programme")
        verbose_name_plural = _("voucher programmes")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="one_programme_name_per_centre")]

    def __str__(self) -> str:
        return self.name


class Voucher(TimeStampedModel):
    """A voucher (bono): a code worth an amount, held by a company or a person, valid between two dates.

    It is redeemed once, for at most its amount, by the service or course it pays; a
    cancelled service releases it and it may be redeemed again.
    """

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        REDEEMED = "redeemed", _("Redeemed")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(
        VoucherProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="vouchers"
    )
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="vouchers")
    code = models.CharField(_("code"), max_length=40, unique=True)
    holder_company = models.ForeignKey(
        Company, verbose_name=_("holder company"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    holder_entrepreneur = models.ForeignKey(
        Entrepreneur,
        verbose_name=_("holder person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount = models.DecimalField(_("amount (S/)"), **MONEY)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    redeemed_at = models.DateTimeField(_("redeemed at"), null=True, blank=True)
    redeemed_amount = models.DecimalField(_("amount redeemed (S/)"), null=True, blank=True, **MONEY)
    # What paid with it, as "app.model:id": funds never imports the apps that redeem.
    redeemed_for = models.CharField(_("redeemed for"), max_length=80, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redeemed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-valid_from", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_amount_positive"),
            models.CheckConstraint(condition=Q(valid_from__lte=models.F("valid_until")), name="voucher_validity"),
            models.CheckConstraint(
                condition=Q(holder_company__isnull=False) | Q(holder_entrepreneur__isnull=False),
                name="voucher_has_a_holder",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="redeemed", redeemed_at__isnull=False, redeemed_amount__isnull=False) & ~Q(redeemed_for="")
                )
                | (~Q(status="redeemed") & Q(redeemed_at__isnull=True, redeemed_amount__isnull=True, redeemed_for="")),
                name="voucher_redemption_recorded_whole",
            ),
            models.CheckConstraint(
                condition=Q(redeemed_amount__isnull=True) | Q(redeemed_amount__lte=models.F("amount")),
                name="voucher_redeemed_within_its_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def holder(self):
        return self.holder_company or self.holder_entrepreneur

    def is_expired(self, on: datetime.date) -> bool:
        return on > self.valid_until


# --- Organised economic agents (AEO) -------------------------------------------------------


class ProductiveChain(models.Model):
    """A productive chain (cadena productiva) a contest may prioritise: cacao, quinua, fibra de alpaca..."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("productive chain")
        verbose_name_plural = _("productive chains")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AEO(TimeStampedModel):
    """An organised economic agent (agente económico organizado): a group of people or a legal person."""

    class Kind(models.TextChoices):
        NATURAL = "natural", _("Natural persons (group with a board)")
        LEGAL = "legal", _("Legal person")

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="aeos")
    kind = models.CharField(_("kind of AEO"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    ruc = models.CharField(_("RUC"), max_length=11, blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("registered company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("When the legal person is already a client of the centre."),
    )
    founded_on = models.DateField(_("date of constitution"), null=True, blank=True)
    annual_sales = models.DecimalField(_("annual sales (S/)"), null=True, blank=True, **MONEY)
    district = models.ForeignKey(Ubigeo, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    minutes = models.FileField(_("certified minutes of constitution (acta)"), upload_to="funds/minutes/", blank=True)
    minutes_certified_by = models.CharField(
        _("minutes certified by"), max_length=120, blank=True, help_text=_("A notary or the justice of the peace.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organised economic agent (AEO)")
        verbose_name_plural = _("organised economic agents (AEO)")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="natural") | ~Q(ruc=""), name="legal_person_aeo_has_ruc"),
        ]

    def __str__(self) -> str:
        return self.name

    def years_of_existence(self, on: datetime.date) -> int | None:
        """Whole years from the constitution to ``on``."""
        if self.founded_on is None:
            return None
        years = on.year - self.founded_on.year
        if (on.month, on.day) < (self.founded_on.month, self.founded_on.day):
            years -= 1
        return max(years, 0)


class AEOMember(models.Model):
    """A member (socio) of an AEO, with a DNI; may be a person the centre already registered."""

    class BoardRole(models.TextChoices):
        MEMBER = "member", _("Member")
        PRESIDENT = "president", _("President")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")

    aeo = models.ForeignKey(AEO, verbose_name=_("AEO"), on_delete=models.CASCADE, related_name="members")
    dni = models.CharField(_("DNI"), max_length=8)
    full_name = models.CharField(_("full name"), max_length=200)
    entrepreneur = models.ForeignKey(
        Entrepreneur, verbose_name=_("registered person"), on_delete=models.PROTECT, null=True, blank=True
    )
    board_role = models.CharField(_("board role"), max_length=10, choices=BoardRole.choices, default=BoardRole.MEMBER)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("AEO member")
        verbose_name_plural = _("AEO members")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["aeo", "dni"], name="one_member_per_dni_in_an_aeo"),
            models.UniqueConstraint(
                fields=["aeo", "board_role"], condition=~Q(board_role="member"), name="one_person_per_board_role"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


# --- Contests (convocatorias) --------------------------------------------------------------


class Contest(TimeStampedModel):
    """A PROCOMPITE contest (convocatoria): the owner's budget, priorities, rules and phase dates."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", _("Open to business plans")
        EVALUATION = "evaluation", _("In evaluation")
        RESOLVED = "resolved", _("Winners declared")

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="contests")
    name = models.CharField(_("name"), max_length=200)
    owner = models.CharField(
        _("owner of the fund"), max_length=200, help_text=_("The regional or local government, or the programme.")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget (S/)"), **MONEY)
    uit_value = models.DecimalField(
        _("UIT of the contest (S/)"), help_text=_("The tax unit used for the sales limits."), **MONEY
    )
    chains = models.ManyToManyField(ProductiveChain, verbose_name=_("prioritised productive chains"), blank=True)
    zones = models.TextField(
        _("prioritised zones"), blank=True, help_text=_("Provinces, one per line. Empty: every zone.")
    )
    call_on = models.DateField(_("call published on"))
    submissions_until = models.DateField(_("business plans received until"))
    evaluation_until = models.DateField(_("evaluation until"))
    results_on = models.DateField(_("winners' resolution on"))
    execution_limit_days = models.PositiveSmallIntegerField(
        _("execution limit (days)"), default=730, help_text=_("The plans have two years to execute.")
    )
    risk_share = models.PositiveSmallIntegerField(_("a purchase is at risk from (% of its planned days)"), default=75)
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluation committee"), blank=True, related_name="contests_to_score"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    resolution_number = models.CharField(_("resolution number"), max_length=80, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contest (convocatoria)")
        verbose_name_plural = _("contests (convocatorias)")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="contest_budget_positive"),
            models.CheckConstraint(condition=Q(uit_value__gt=0), name="contest_uit_positive"),
            models.CheckConstraint(
                condition=Q(call_on__lte=models.F("submissions_until"))
                & Q(submissions_until__lte=models.F("evaluation_until"))
                & Q(evaluation_until__lte=models.F("results_on")),
                name="contest_phases_in_order",
            ),
            models.CheckConstraint(condition=Q(risk_share__gte=1, risk_share__lte=100), name="contest_risk_1_to_100"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone_list(self) -> list[str]:
        return [z.strip() for z in self.zones.splitlines() if z.strip()]


class Category(models.Model):
    """A category of a contest with its rules (editable data; the seed's A / B / C by default)."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("category"), max_length=4)
    description = models.CharField(_("who it is for"), max_length=200, blank=True)
    legal_person_only = models.BooleanField(_("legal persons only"), default=False)
    min_members = models.PositiveSmallIntegerField(_("minimum members"), null=True, blank=True)
    min_years = models.PositiveSmallIntegerField(_("minimum years of existence"), null=True, blank=True)
    min_sales_uit = models.DecimalField(_("minimum annual sales (UIT)"), null=True, blank=True, **PERCENT)
    max_sales_uit = models.DecimalField(
        _("maximum annual sales (UIT)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    min_cofinancing = models.DecimalField(_("minimum co-financing (S/)"), **MONEY)
    max_cofinancing = models.DecimalField(_("maximum co-financing (S/)"), **MONEY)
    min_counterpart_share = models.DecimalField(_("minimum counterpart (% of the total)"), **PERCENT)
    min_monetary_share = models.DecimalField(_("minimum monetary counterpart (% of the total)"), **PERCENT)
    max_public_share = models.DecimalField(_("maximum public co-financing (% of the total)"), **PERCENT)

    # The rules a plan was judged by: who changed them, and when, is part of the contest's record.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["contest", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="one_category_code_per_contest"),
            models.CheckConstraint(
                condition=Q(min_cofinancing__lte=models.F("max_cofinancing")), name="category_cofinancing_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Category')} {self.code}"


class EvaluationCriterion(models.Model):
    """A criterion the committee scores from 0 to 100, with its weight in the final score."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.DecimalField(_("weight (%)"), **PERCENT)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["contest", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name


# --- Business plans --------------------------------------------------------------------------


class BusinessPlan(TimeStampedModel):
    """An AEO's business plan (plan de negocio) in a contest; submitted, it can no longer be edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WINNER = "winner", _("Winner")
        NOT_SELECTED = "not_selected", _("Not selected")

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="plans")
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    aeo = models.ForeignKey(AEO, verbose_name=_("AEO"), on_delete=models.PROTECT, related_name="plans")
    chain = models.ForeignKey(ProductiveChain, verbose_name=_("productive chain"), on_delete=models.PROTECT)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(_("title of the business plan"), max_length=200)
    execution_days = models.PositiveSmallIntegerField(_("execution period (days)"), default=120)
    direct_jobs = models.PositiveIntegerField(_("direct jobs"), default=0)
    indirect_jobs = models.PositiveIntegerField(_("indirect jobs"), default=0)
    # Totals kept by the services from the investment lines.
    total_investment = models.DecimalField(_("total investment (S/)"), default=ZERO, **MONEY)
    public_amount = models.DecimalField(_("public co-financing (S/)"), default=ZERO, **MONEY)
    counterpart_money = models.DecimalField(_("monetary counterpart (S/)"), default=ZERO, **MONEY)
    counterpart_in_kind = models.DecimalField(_("counterpart in kind (S/)"), default=ZERO, **MONEY)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    eligibility_problems = models.TextField(_("why it is not eligible"), blank=True)
    weighted_score = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        ordering = ["contest", "rank", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="submitted_plan_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def counterpart(self) -> Decimal:
        return self.counterpart_money + self.counterpart_in_kind

    @property
    def problem_list(self) -> list[str]:
        return self.eligibility_problems.splitlines()


class InvestmentLine(models.Model):
    """A good or service of the plan, with its specification, quantity, unit price and who pays it."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods")
        SERVICES = "services", _("Services")

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public co-financing")
        MONEY = "money", _("Counterpart in money")
        IN_KIND = "in_kind", _("Counterpart in kind")

    plan = models.ForeignKey(
        BusinessPlan, verbose_name=_("business plan"), on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    specification = models.TextField(_("technical specification"), blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price (S/)"), **MONEY)
    amount = models.DecimalField(_("amount (S/)"), **MONEY)
    source = models.CharField(_("paid by"), max_length=8, choices=Source.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investment line")
        verbose_name_plural = _("investment lines")
        ordering = ["plan", "source", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="investment_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="investment_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description


class Score(models.Model):
    """One committee member's score (0-100) of one plan on one criterion."""

    plan = models.ForeignKey(
        BusinessPlan, verbose_name=_("business plan"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(EvaluationCriterion, verbose_name=_("criterion"), on_delete=models.CASCADE)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("committee member"), on_delete=models.PROTECT)
    score = models.DecimalField(_("score (0-100)"), max_digits=5, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["plan", "criterion", "member"], name="one_score_per_member_and_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="score_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# --- Procurement of the winning plans ----------------------------------------------------------


class Purchase(TimeStampedModel):
    """A purchase of a winning plan (the government buys; it never hands over cash).

    requirement -> call(s), each possibly void (desierto) -> award (buena pro) -> delivery;
    an annulment (nulidad) sends it back to the start. Days run from the requirement.
    """

    class Stage(models.TextChoices):
        REQUIREMENT = "requirement", _("Requirement")
        CALL = "call", _("Call published")
        AWARDED = "awarded", _("Awarded (buena pro)")
        DELIVERED = "delivered", _("Delivered")

    plan = models.ForeignKey(
        BusinessPlan, verbose_name=_("business plan"), on_delete=models.PROTECT, related_name="purchases"
    )
    description = models.CharField(_("what is bought"), max_length=200)
    amount = models.DecimalField(_("amount (S/)"), **MONEY)
    requirement_on = models.DateField(_("requirement on"))
    planned_days = models.PositiveSmallIntegerField(_("planned days"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.REQUIREMENT)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    situation_on = models.DateField(
        _("situation as of"),
        null=True,
        blank=True,
        help_text=_("For a purchase followed up to a date (a report): its days are counted up to it."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["plan", "requirement_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_days__gte=1), name="purchase_planned_days_positive"),
            models.CheckConstraint(
                condition=Q(stage="delivered", delivered_on__isnull=False)
                | (~Q(stage="delivered") & Q(delivered_on__isnull=True)),
                name="purchase_delivered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class PurchaseStep(models.Model):
    """A dated step of a purchase."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call (convocatoria)")
        VOID = "void", _("Call declared void (desierto)")
        AWARD = "award", _("Award (buena pro)")
        CONTRACT = "contract", _("Contract signed with the winning bidder")
        EXTENSION = "extension", _("Extension of the delivery term")
        ANNULMENT = "annulment", _("Annulment (nulidad): the purchase starts again")
        DELIVERY = "delivery", _("Delivery")

    purchase = models.ForeignKey(Purchase, verbose_name=_("purchase"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1, help_text=_("Starts again after an annulment."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase step")
        verbose_name_plural = _("purchase steps")
        ordering = ["purchase", "date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"
