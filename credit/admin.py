"""The fund's catalogues in the Django admin: operators, loan products, exchange rates.

What moves money (tranches, loans and their schedules, repayments, the ledger) is written only
by the services (the loan pages and the API), so here it is read-only: looked at, never added to,
changed or deleted.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.selectors import centre_settings

from .models import (
    Allocation,
    ExchangeRate,
    Instalment,
    LedgerEntry,
    Loan,
    LoanProduct,
    MarginPayment,
    Operator,
    Repayment,
    Tranche,
)


@admin.register(Operator)
class OperatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "centre", "started_on", "margin_rate", "is_active"]
    list_filter = ["centre", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["officers", "other_centres"]


class LoanProductForm(forms.ModelForm):
    """A product saved without a rate or a fee takes those of its operator's centre settings."""

    class Meta:
        model = LoanProduct
        fields = [
            "operator", "name", "monthly_rate", "fee_rate", "fee_mode", "method", "min_amount", "max_amount",
            "min_term", "max_term", "for_working_capital", "for_fixed_assets", "max_grace_months", "is_active",
        ]  # fmt: skip
        help_texts = {
            "monthly_rate": _("Empty: the centre's default."),
            "fee_rate": _("Empty: the centre's default."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monthly_rate"].required = False
        self.fields["fee_rate"].required = False

    def clean(self):
        data = super().clean()
        operator = data.get("operator")
        if operator is not None:
            defaults = centre_settings(operator.centre_id)
            if data.get("monthly_rate") is None:
                data["monthly_rate"] = defaults.credit_default_monthly_rate
            if data.get("fee_rate") is None:
                data["fee_rate"] = defaults.credit_default_fee_rate
        return data


@admin.register(LoanProduct)
class LoanProductAdmin(SimpleHistoryAdmin):
    form = LoanProductForm
    list_display = ["name", "operator", "monthly_rate", "fee_rate", "fee_mode", "method", "is_active"]
    list_filter = ["operator", "method", "is_active"]
    search_fields = ["name"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ["date", "pen_per_usd"]
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money records written only by the services: to look at, never to add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["date", "operator", "kind", "amount", "loan", "reverses", "created_by"]
    list_filter = ["operator", "kind"]
    date_hierarchy = "date"
    list_select_related = ["operator", "loan", "reverses", "created_by"]


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["date", "operator", "amount", "currency", "amount_pen"]
    list_filter = ["operator"]


@admin.register(MarginPayment)
class MarginPaymentAdmin(ReadOnlyAdmin):
    list_display = ["operator", "year", "paid_on", "amount_usd", "pen_per_usd", "amount_pen"]
    list_filter = ["operator"]


class InstalmentInline(admin.TabularInline):
    model = Instalment
    extra = 0
    can_delete = False
    fields = ["number", "due_date", "principal_due", "interest_due", "fee_due", "principal_paid", "interest_paid",
              "fee_paid"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["pk", "entrepreneur", "operator", "centre", "status", "amount", "term_months", "disbursed_on"]
    list_filter = ["status", "operator", "centre"]
    search_fields = ["entrepreneur__first_name", "entrepreneur__last_name", "company__legal_name"]
    date_hierarchy = "applied_on"
    list_select_related = ["entrepreneur", "operator", "centre"]
    raw_id_fields = ["entrepreneur", "company"]
    inlines = [InstalmentInline]


class AllocationInline(admin.TabularInline):
    model = Allocation
    extra = 0
    can_delete = False
    fields = ["instalment", "fee", "interest", "principal"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    list_display = ["date", "loan", "amount", "posted_by"]
    list_filter = ["loan__operator"]
    date_hierarchy = "date"
    list_select_related = ["loan__entrepreneur", "posted_by"]
    raw_id_fields = ["loan"]
    inlines = [AllocationInline]
