from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AEO,
    AEOMember,
    BusinessPlan,
    Category,
    Contest,
    EvaluationCriterion,
    InvestmentLine,
    ProductiveChain,
    Purchase,
    PurchaseStep,
    Voucher,
    VoucherProgramme,
)


@admin.register(ProductiveChain)
class ProductiveChainAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name"]


@admin.register(VoucherProgramme)
class VoucherProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "funder", "centre", "is_active"]
    list_filter = ["centre", "is_active"]


@admin.register(Voucher)
class VoucherAdmin(SimpleHistoryAdmin):
    """Read-mostly: vouchers are redeemed and released only through funds' services (row locks, holder checks)."""

    list_display = ["code", "programme", "amount", "valid_from", "valid_until", "status", "redeemed_for"]
    list_filter = ["status", "programme", "centre"]
    search_fields = ["code"]
    readonly_fields = ["status", "redeemed_at", "redeemed_amount", "redeemed_for", "redeemed_by"]
    raw_id_fields = ["holder_company", "holder_entrepreneur"]


class MemberInline(admin.TabularInline):
    model = AEOMember
    extra = 0
    raw_id_fields = ["entrepreneur"]


@admin.register(AEO)
class AEOAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "ruc", "centre"]
    list_filter = ["kind", "centre"]
    search_fields = ["name", "ruc"]
    raw_id_fields = ["company", "district"]
    inlines = [MemberInline]


class CategoryInline(admin.StackedInline):
    model = Category
    extra = 0


class CriterionInline(admin.TabularInline):
    model = EvaluationCriterion
    extra = 0


@admin.register(Contest)
class ContestAdmin(SimpleHistoryAdmin):
    """The categories' rules and the criteria are data: edited here or on the contest's page while in preparation."""

    list_display = ["name", "owner", "year", "budget", "status", "centre"]
    list_filter = ["status", "year", "centre"]
    search_fields = ["name", "owner"]
    filter_horizontal = ["chains", "committee"]
    inlines = [CategoryInline, CriterionInline]


class LineInline(admin.TabularInline):
    model = InvestmentLine
    extra = 0
    readonly_fields = ["amount"]


@admin.register(BusinessPlan)
class BusinessPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "aeo", "contest", "category", "status", "is_eligible", "weighted_score", "rank"]
    list_filter = ["status", "contest", "chain"]
    search_fields = ["title", "aeo__name"]
    readonly_fields = ["total_investment", "public_amount", "counterpart_money", "counterpart_in_kind",
                       "weighted_score", "rank", "is_eligible", "eligibility_problems"]  # fmt: skip
    inlines = [LineInline]


class StepInline(admin.TabularInline):
    model = PurchaseStep
    extra = 0


@admin.register(Purchase)
class PurchaseAdmin(SimpleHistoryAdmin):
    list_display = ["description", "plan", "requirement_on", "planned_days", "stage", "delivered_on"]
    list_filter = ["stage"]
    inlines = [StepInline]
