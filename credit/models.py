"""The rotating credit fund (fondo rotatorio): operators, the fund's ledger, loan products, loans.

Money is exact (``Decimal``, two places, half-up in ``core.money.to_money``). The ledger
is the fund's book: every movement of money is one ``LedgerEntry``, never edited nor
deleted (the model refuses it, and a database trigger refuses it under the ORM); a
mistake is corrected by a reversing entry that points to the one it reverses. The fund's
position at any date is a sum over the ledger (``credit.position``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Company, Entrepreneur
from core.models import Centre, TimeStampedModel
from core.money import MONEY, ZERO

RATE = {"max_digits": 6, "decimal_places": 3}  # a percentage: 3.500 means 3.5 %


class Currency(models.TextChoices):
    PEN = "PEN", _("Soles")
    USD = "USD", _("US dollars")


class Operator(TimeStampedModel):
    """A local institution that runs the fund (GCOD in Huancayo, Edificar in Lima)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="credit_operators"
    )
    other_centres = models.ManyToManyField(
        Centre,
        verbose_name=_("also serves"),
        blank=True,
        related_name="credit_operators_also",
        help_text=_("Other centres whose entrepreneurs this operator lends to."),
    )
    started_on = models.DateField(_("operating since"))
    margin_rate = models.DecimalField(
        _("administrator's margin (% a year)"), **RATE, default=3, help_text=_("Of the capital placed, in US dollars.")
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("credit officers"), blank=True, related_name="credit_operators"
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit operator")
        verbose_name_plural = _("credit operators")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(margin_rate__gte=0), name="operator_margin_not_negative")]

    def __str__(self) -> str:
        return self.name

    def serves(self, centre_id: int) -> bool:
        """Whether the operator lends to the entrepreneurs of a centre: its own, or one it also serves."""
        return centre_id == self.centre_id or self.other_centres.filter(pk=centre_id).exists()


class ExchangeRate(models.Model):
    """Soles per US dollar on a date: the administrator keeps the table (the margin is due in dollars)."""

    date = models.DateField(_("date"), unique=True)
    pen_per_usd = models.DecimalField(_("soles per dollar"), max_digits=8, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date"]
        constraints = [models.CheckConstraint(condition=Q(pen_per_usd__gt=0), name="exchange_rate_positive")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.pen_per_usd}"


class Tranche(TimeStampedModel):
    """Capital placed with an operator on a date. Its ledger entry (capital in) is in soles."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="tranches"
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.PEN)
    amount_pen = models.DecimalField(_("amount in soles"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capital tranche")
        verbose_name_plural = _("capital tranches")
        ordering = ["operator", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(amount_pen__gt=0), name="tranche_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.date:%d/%m/%Y}: {self.amount} {self.currency}"


class LoanMethod(models.TextChoices):
    DECLINING = "declining", _("Equal instalments on a declining balance")
    FLAT = "flat", _("Flat interest")


class FeeMode(models.TextChoices):
    DEDUCTED = "deducted", _("Deducted from the amount paid out")
    APART = "apart", _("Paid apart, with the first instalment")


class Purpose(models.TextChoices):
    WORKING_CAPITAL = "working_capital", _("Working capital")
    FIXED_ASSETS = "fixed_assets", _("Fixed assets")


class LoanProduct(TimeStampedModel):
    """The terms an operator lends on. A loan copies them when applied for, so a later change
    of the product never changes a loan already granted."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=120)
    monthly_rate = models.DecimalField(_("monthly interest rate (%)"), **RATE)
    fee_rate = models.DecimalField(_("processing fee (% of the principal)"), **RATE)
    fee_mode = models.CharField(_("fee"), max_length=10, choices=FeeMode.choices, default=FeeMode.DEDUCTED)
    method = models.CharField(_("method"), max_length=10, choices=LoanMethod.choices, default=LoanMethod.DECLINING)
    min_amount = models.DecimalField(_("minimum amount"), **MONEY)
    max_amount = models.DecimalField(_("maximum amount"), **MONEY)
    min_term = models.PositiveSmallIntegerField(_("minimum term (months)"), default=1)
    max_term = models.PositiveSmallIntegerField(_("maximum term (months)"), default=24)
    for_working_capital = models.BooleanField(_("for working capital"), default=True)
    for_fixed_assets = models.BooleanField(_("for fixed assets"), default=True)
    max_grace_months = models.PositiveSmallIntegerField(
        _("grace period allowed (months)"), default=0, help_text=_("Months paying interest only, at the start.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")
        ordering = ["operator", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_rate__gte=0) & Q(monthly_rate__lte=100) & Q(fee_rate__gte=0) & Q(fee_rate__lt=100),
                name="product_rates_in_range",
            ),
            models.CheckConstraint(
                condition=Q(min_amount__gt=0) & Q(max_amount__gte=F("min_amount")), name="product_amounts_in_order"
            ),
            models.CheckConstraint(
                condition=Q(min_term__gte=1) & Q(max_term__gte=F("min_term")), name="product_terms_in_order"
            ),
            models.CheckConstraint(condition=Q(max_grace_months__lt=F("max_term")), name="product_grace_shorter"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.operator})"

    @property
    def purposes(self) -> list[str]:
        allowed = {Purpose.WORKING_CAPITAL: self.for_working_capital, Purpose.FIXED_ASSETS: self.for_fixed_assets}
        return [purpose for purpose, ok in allowed.items() if ok]


class Loan(TimeStampedModel):
    """A loan to a person (with or without a company), from application to its last payment."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied for")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DISBURSED = "disbursed", _("Disbursed")
        REPAID = "repaid", _("Repaid")
        WRITTEN_OFF = "written_off", _("Written off")

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="loans")
    operator = models.ForeignKey(Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="loans")
    product = models.ForeignKey(LoanProduct, verbose_name=_("product"), on_delete=models.PROTECT, related_name="loans")
    entrepreneur = models.ForeignKey(
        Entrepreneur, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, null=True, blank=True, related_name="loans"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED, db_index=True)
    # The terms, copied from the product when applied for.
    amount = models.DecimalField(_("amount"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    grace_months = models.PositiveSmallIntegerField(_("grace (months)"), default=0)
    monthly_rate = models.DecimalField(_("monthly interest rate (%)"), **RATE)
    fee_rate = models.DecimalField(_("processing fee (%)"), **RATE)
    fee_mode = models.CharField(_("fee"), max_length=10, choices=FeeMode.choices)
    method = models.CharField(_("method"), max_length=10, choices=LoanMethod.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    guarantee = models.CharField(_("guarantee"), max_length=300, blank=True)
    applied_on = models.DateField(_("applied on"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluation = models.TextField(_("evaluation"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fee_amount = models.DecimalField(_("processing fee"), **MONEY, default=ZERO)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)
    write_off_reason = models.CharField(_("reason for the write-off"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-applied_on", "-pk"]
        indexes = [
            models.Index(fields=["operator", "status"], name="loan_operator_status"),
            # The loan list's order: without it PostgreSQL joins every loan to its borrower and sorts them all
            # to show 25 (about 90 ms at 100,000 companies; 2 ms with it).
            models.Index(fields=["-applied_on", "-id"], name="loan_list_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=Q(term_months__gte=1) & Q(grace_months__lt=F("term_months")), name="loan_term_valid"
            ),
            models.CheckConstraint(
                condition=Q(disbursed_on__isnull=True)
                | Q(status__in=["disbursed", "repaid", "written_off"]) & Q(disbursed_on__gte=F("applied_on")),
                name="loan_disbursed_after_applied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.entrepreneur}"

    @property
    def code(self) -> str:
        return f"CR-{self.pk:06d}" if self.pk else "CR-nuevo"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.DISBURSED


class Instalment(models.Model):
    """One line of a loan's schedule, fixed at disbursement. What has been paid of it is kept
    alongside (written only by ``repayment_post`` with the loan row locked) and, line by line,
    in the repayments' allocations, from which any past date is recomputed."""

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("number"))
    due_date = models.DateField(_("due date"))
    principal_due = models.DecimalField(_("principal"), **MONEY)
    interest_due = models.DecimalField(_("interest"), **MONEY)
    fee_due = models.DecimalField(_("fee"), **MONEY, default=ZERO)
    principal_paid = models.DecimalField(_("principal paid"), **MONEY, default=ZERO)
    interest_paid = models.DecimalField(_("interest paid"), **MONEY, default=ZERO)
    fee_paid = models.DecimalField(_("fee paid"), **MONEY, default=ZERO)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="one_instalment_per_number"),
            models.CheckConstraint(
                condition=Q(principal_due__gte=0) & Q(interest_due__gte=0) & Q(fee_due__gte=0),
                name="instalment_dues_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(principal_paid__gte=0)
                & Q(principal_paid__lte=F("principal_due"))
                & Q(interest_paid__gte=0)
                & Q(interest_paid__lte=F("interest_due"))
                & Q(fee_paid__gte=0)
                & Q(fee_paid__lte=F("fee_due")),
                name="instalment_paid_within_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan.code} #{self.number}"

    @property
    def total_due(self):
        return self.principal_due + self.interest_due + self.fee_due

    @property
    def total_paid(self):
        return self.principal_paid + self.interest_paid + self.fee_paid

    @property
    def total_pending(self):
        return self.total_due - self.total_paid


class Repayment(TimeStampedModel):
    """A payment received on a loan. ``idempotency_key`` (one per form shown or API call) makes a
    repeated submission post once: the database refuses a second row with the same key."""

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="repayments")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    idempotency_key = models.CharField(_("submission key"), max_length=64)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["loan", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "idempotency_key"], name="one_repayment_per_submission"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.loan.code} {self.date:%d/%m/%Y}: {self.amount}"


class Allocation(models.Model):
    """How much of one repayment went to the fee, interest and principal of one instalment."""

    repayment = models.ForeignKey(Repayment, on_delete=models.PROTECT, related_name="allocations")
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="allocations")
    fee = models.DecimalField(_("fee"), **MONEY, default=ZERO)
    interest = models.DecimalField(_("interest"), **MONEY, default=ZERO)
    principal = models.DecimalField(_("principal"), **MONEY, default=ZERO)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["repayment", "instalment"], name="one_allocation_per_instalment"),
            models.CheckConstraint(
                condition=Q(fee__gte=0) & Q(interest__gte=0) & Q(principal__gte=0), name="allocation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.repayment} -> #{self.instalment.number}"


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Ledger entries are never changed: post a reversing entry.")

    def delete(self):
        raise TypeError("Ledger entries are never deleted: post a reversing entry.")


class LedgerEntry(models.Model):
    """One movement of the fund's money. Append-only.

    ``amount`` is positive; a reversing entry has the same kind, the opposite amount and
    ``reverses`` pointing to the entry it cancels (at most one reversal per entry), so sums
    by kind stay right without looking at reversals.
    """

    class Kind(models.TextChoices):
        CAPITAL_IN = "capital_in", _("Capital placed")
        DISBURSEMENT = "disbursement", _("Disbursement")
        PRINCIPAL = "principal", _("Principal repaid")
        INTEREST = "interest", _("Interest")
        FEE = "fee", _("Processing fee")
        WRITE_OFF = "write_off", _("Write-off")
        MARGIN_PAID = "margin_paid", _("Administrator's margin paid")
        CAPITAL_RETURNED = "capital_returned", _("Capital returned")
        CAPITAL_CEDED = "capital_ceded", _("Capital ceded")

    operator = models.ForeignKey(Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="ledger")
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger")
    repayment = models.ForeignKey(Repayment, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger")
    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger")
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["operator", "date", "pk"]
        indexes = [models.Index(fields=["operator", "date", "kind"], name="ledger_operator_date_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="ledger_amount_sign",
            ),
            # A loan is paid out once: a double click, a retry or a race cannot pay it twice.
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(kind="disbursement", reverses__isnull=True),
                name="one_disbursement_per_loan",
            ),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(kind="write_off", reverses__isnull=True), name="one_write_off_per_loan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise TypeError("Ledger entries are never changed: post a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger entries are never deleted: post a reversing entry.")


class MarginPayment(TimeStampedModel):
    """The administrator's margin of one operator for one year, as paid (in dollars, at a rate)."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="margin_payments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    paid_on = models.DateField(_("paid on"))
    amount_usd = models.DecimalField(_("amount (US$)"), **MONEY)
    pen_per_usd = models.DecimalField(_("soles per dollar"), max_digits=8, decimal_places=4)
    amount_pen = models.DecimalField(_("amount (S/)"), **MONEY)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("margin payment")
        verbose_name_plural = _("margin payments")
        ordering = ["operator", "year"]
        constraints = [models.UniqueConstraint(fields=["operator", "year"], name="one_margin_payment_per_year")]

    def __str__(self) -> str:
        return f"{self.operator} {self.year}: US$ {self.amount_usd}"


class ArrearsSnapshot(models.Model):
    """Where a loan stood at the end of a month: the history of moving in and out of arrears."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="snapshots")
    month = models.DateField(_("month"), help_text=_("The last day of the month."))
    days_late = models.PositiveIntegerField(_("days late"))
    bucket = models.CharField(_("arrears bucket"), max_length=8)
    outstanding_principal = models.DecimalField(_("outstanding principal"), **MONEY)

    class Meta:
        verbose_name = _("arrears snapshot")
        verbose_name_plural = _("arrears snapshots")
        ordering = ["loan", "month"]
        constraints = [models.UniqueConstraint(fields=["loan", "month"], name="one_snapshot_per_loan_and_month")]

    def __str__(self) -> str:
        return f"{self.loan.code} {self.month:%m/%Y}: {self.bucket}"


class FundClosing(TimeStampedModel):
    """What was decided for an operator's remaining capital at the end of the fund."""

    class Decision(models.TextChoices):
        CEDE = "cede", _("Cede to the operator")
        RETURN = "return", _("Return to the project")
        REINVEST = "reinvest", _("Reinvest in the fund")

    operator = models.OneToOneField(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="closing"
    )
    as_of = models.DateField(_("balance at"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    note = models.TextField(_("note"), blank=True)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("end-of-fund decision")
        verbose_name_plural = _("end-of-fund decisions")

    def __str__(self) -> str:
        return f"{self.operator}: {self.get_decision_display()}"


# Entries the fund keeper types by hand, so the ones a reversing entry may correct; a loan's entries
# are corrected through the loan.
REVERSIBLE_KINDS = frozenset(
    {
        LedgerEntry.Kind.CAPITAL_IN,
        LedgerEntry.Kind.MARGIN_PAID,
        LedgerEntry.Kind.CAPITAL_RETURNED,
        LedgerEntry.Kind.CAPITAL_CEDED,
    }
)
