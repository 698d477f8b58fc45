"""Technical assistance (servicio de asistencia técnica, SAT).

A service moves through six stages (promotion, diagnosis, proposal, action plan,
execution, evaluation) and then closes; the rules of each move live in
``assistance.services.workflow``. The whole file of one service is its expediente.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Company, Diagnosis, ProblemNode, Subsector
from consultants.models import Area, Consultant
from core.models import Centre, TimeStampedModel
from core.money import MONEY, ZERO

# --- Catalogues ----------------------------------------------------------------------------


class ServiceType(models.Model):
    """Kind of assistance (the seed's Cuadro 3: bakery, dairy derivatives, ...), admin-editable."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    subsector = models.ForeignKey(
        Subsector, verbose_name=_("subsector"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- The service ---------------------------------------------------------------------------


class Stage(models.TextChoices):
    PROMOTION = "promotion", _("Promotion")
    DIAGNOSIS = "diagnosis", _("Diagnosis")
    PROPOSAL = "proposal", _("Technical-economic proposal")
    ACTION_PLAN = "action_plan", _("Action plan")
    EXECUTION = "execution", _("Execution")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# The six stages in order, then closed. Cancelled stands apart.
STAGE_ORDER = [
    Stage.PROMOTION,
    Stage.DIAGNOSIS,
    Stage.PROPOSAL,
    Stage.ACTION_PLAN,
    Stage.EXECUTION,
    Stage.EVALUATION,
    Stage.CLOSED,
]
OPEN_STAGES = STAGE_ORDER[:-1]


class OwnerDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Service(TimeStampedModel):
    """A technical-assistance service (SAT) for one company; its file is the expediente."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="services")
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="services")
    code = models.CharField(_("file number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    service_type = models.ForeignKey(ServiceType, verbose_name=_("service type"), on_delete=models.PROTECT)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, default=Area.PRODUCTION)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.PROMOTION, db_index=True)
    stage_changed_at = models.DateTimeField(_("in this stage since"))
    diagnosis = models.ForeignKey(
        Diagnosis, verbose_name=_("diagnosis"), on_delete=models.PROTECT, null=True, blank=True, related_name="services"
    )
    addressed_nodes = models.ManyToManyField(
        ProblemNode, verbose_name=_("problems addressed"), blank=True, related_name="services"
    )
    promoter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("promoter"), on_delete=models.PROTECT, related_name="promoted_services"
    )
    consultants = models.ManyToManyField(Consultant, verbose_name=_("consultants"), blank=True, related_name="services")
    # Proposal (propuesta técnica económica)
    owner_decision = models.CharField(
        _("owner's decision"), max_length=10, choices=OwnerDecision.choices, default=OwnerDecision.PENDING
    )
    owner_decision_on = models.DateField(_("decided by the owner on"), null=True, blank=True)
    price_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("price approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    price_approved_at = models.DateTimeField(_("price approved at"), null=True, blank=True)
    # Totals kept in step by the budget services (one place computes them).
    total_cost = models.DecimalField(_("total cost (S/)"), **MONEY, default=ZERO)
    total_funding = models.DecimalField(_("subsidies and co-financing (S/)"), **MONEY, default=ZERO)
    owner_share = models.DecimalField(_("owner's share (S/)"), **MONEY, default=ZERO)
    budgeted_hours = models.DecimalField(_("budgeted consultant hours"), max_digits=8, decimal_places=2, default=ZERO)
    # Execution and evaluation
    execution_ended_on = models.DateField(_("execution ended on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("technical assistance service")
        verbose_name_plural = _("technical assistance services")
        ordering = ["-created_at", "-id"]
        # The list order (newest first, across centres and within one) and the pipeline board
        # (oldest in each stage first): each page is read off an index instead of a sort.
        indexes = [
            models.Index(fields=["created_at", "id"], name="service_created_id"),
            models.Index(fields=["centre", "created_at", "id"], name="service_centre_created_id"),
            models.Index(fields=["stage", "stage_changed_at"], name="service_stage_since"),
            models.Index(fields=["centre", "stage", "stage_changed_at"], name="service_centre_stage_since"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_cost__gte=0), name="service_cost_not_negative"),
            models.CheckConstraint(condition=Q(total_funding__gte=0), name="service_funding_not_negative"),
            models.CheckConstraint(condition=Q(owner_share__gte=0), name="service_owner_share_not_negative"),
            models.CheckConstraint(
                condition=Q(owner_share=F("total_cost") - F("total_funding")), name="service_owner_share_is_the_rest"
            ),
            models.CheckConstraint(
                condition=~Q(stage="cancelled") | ~Q(cancel_reason=""), name="service_cancel_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def stage_number(self) -> int:
        return STAGE_ORDER.index(self.stage) + 1 if self.stage in STAGE_ORDER else 0


class StageChange(models.Model):
    """Who moved a service from one stage to another, and when (reopenings carry their reason)."""

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    is_reopening = models.BooleanField(_("reopening"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


# --- Proposal: improvement plan and budget ---------------------------------------------------


class ImprovementItem(models.Model):
    """A line of the improvement plan (plan de mejoras): problem, improvement, expected result."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="improvements"
    )
    problem_node = models.ForeignKey(
        ProblemNode,
        verbose_name=_("problem-tree node"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    problem = models.CharField(_("problem"), max_length=300)
    improvement = models.CharField(_("improvement"), max_length=300)
    expected_result = models.CharField(_("expected result"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("improvement-plan item")
        verbose_name_plural = _("improvement-plan items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.improvement


class BudgetLine(models.Model):
    """A cost of the service: consultant hours x fee, materials, travel, other."""

    class Kind(models.TextChoices):
        FEES = "fees", _("Consultant fees")
        MATERIALS = "materials", _("Materials")
        TRAVEL = "travel", _("Travel")
        OTHER = "other", _("Other")

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity (hours for fees)"), max_digits=10, decimal_places=2)
    unit_cost = models.DecimalField(_("unit cost (S/)"), **MONEY)
    amount = models.DecimalField(_("amount (S/)"), **MONEY, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="budget_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="budget_unit_cost_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description


class FundingLine(models.Model):
    """A subsidy or co-financing that lowers the owner's share (project subsidy, BonoPyME voucher, ...)."""

    class Kind(models.TextChoices):
        PROJECT_SUBSIDY = "subsidy", _("Project subsidy")
        VOUCHER = "voucher", _("BonoPyME voucher")
        COFINANCING = "cofinancing", _("Other co-financing")

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="funding_lines"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    voucher_code = models.CharField(_("voucher code"), max_length=40, blank=True)
    amount = models.DecimalField(_("amount (S/)"), **MONEY)
    # Set when the service is cancelled: the voucher was not spent and its code may be redeemed again.
    voucher_released_at = models.DateTimeField(_("voucher released at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
            models.CheckConstraint(condition=~Q(kind="voucher") | ~Q(voucher_code=""), name="voucher_has_code"),
            models.UniqueConstraint(
                fields=["voucher_code"],
                condition=Q(kind="voucher", voucher_released_at__isnull=True),
                name="a_voucher_is_held_by_one_service_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


# --- Action plan ----------------------------------------------------------------------------


class Activity(models.Model):
    """An activity of the action plan (plan de acción)."""

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="activities")
    description = models.CharField(_("description"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=120)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    planned_hours = models.DecimalField(_("planned hours"), max_digits=8, decimal_places=2)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["planned_start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")), name="activity_dates_in_order"),
            models.CheckConstraint(condition=Q(planned_hours__gte=0), name="activity_hours_not_negative"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="activity_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.description


class Indicator(models.Model):
    """An indicator of the action plan, with baseline and target; measured at evaluation."""

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="indicators")
    improvement = models.ForeignKey(
        ImprovementItem,
        verbose_name=_("improvement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    how_measured = models.CharField(_("how it is measured"), max_length=300, blank=True)
    measured_value = models.DecimalField(_("value measured"), max_digits=14, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def target_reached(self) -> bool | None:
        """Whether the measure reached the target, in the direction the target lies from the baseline."""
        if self.measured_value is None:
            return None
        if self.target >= self.baseline:
            return self.measured_value >= self.target
        return self.measured_value <= self.target


# --- Execution ------------------------------------------------------------------------------


def visit_path(instance, filename: str) -> str:
    return f"services/{instance.service_id}/visits/{filename}"


def report_path(instance, filename: str) -> str:
    return f"services/{instance.service_id}/report/{filename}"


class Visit(models.Model):
    """A visit of the consultant during execution: date, hours, what was done."""

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="visits")
    consultant = models.ForeignKey(
        Consultant, verbose_name=_("consultant"), on_delete=models.PROTECT, related_name="visits"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    notes = models.TextField(_("what was done"))
    attachment = models.FileField(_("attachment"), upload_to=visit_path, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="visit_hours_in_a_day")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.hours} h"


class TechnicalReport(models.Model):
    """The consultant's technical report (informe técnico): it closes execution."""

    service = models.OneToOneField(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="report")
    summary = models.TextField(_("summary of the work"))
    results = models.TextField(_("results"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    file = models.FileField(_("report file"), upload_to=report_path, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("technical report")
        verbose_name_plural = _("technical reports")

    def __str__(self) -> str:
        return str(_("Technical report"))


# --- Evaluation -----------------------------------------------------------------------------


class Evaluation(models.Model):
    """The promoter's follow-up visit 30 to 60 days after execution: indicators and satisfaction."""

    service = models.OneToOneField(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="evaluation"
    )
    date = models.DateField(_("date of the visit"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), on_delete=models.PROTECT, related_name="+"
    )
    # On the centre's scale (core.CentreSettings.satisfaction_scale, 3 to 10), checked by the service.
    satisfaction = models.PositiveSmallIntegerField(_("owner's satisfaction"))
    comments = models.TextField(_("owner's comments"), blank=True)
    further_services_requested = models.BooleanField(_("asks for further services"), default=False)
    further_services_note = models.CharField(_("which services"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service evaluation")
        verbose_name_plural = _("service evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1) & Q(satisfaction__lte=10), name="evaluation_satisfaction_1_to_10"
            )
        ]

    def __str__(self) -> str:
        return str(_("Evaluation"))
