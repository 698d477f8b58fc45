from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.pagination import IndexedPaginator

from . import selectors, services
from .models import Company, Diagnosis, Entrepreneur, Need, ProblemNode, SizeRule, Subsector, Ubigeo, UitValue


@admin.register(Subsector)
class SubsectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


@admin.action(description=_("Recompute the size class of every company"))
def recompute_size_classes(modeladmin, request, queryset):
    changed = services.companies_recompute_size_class(user=request.user)
    modeladmin.message_user(
        request,
        ngettext("%(count)d company changed size class.", "%(count)d companies changed size class.", changed)
        % {"count": changed},
        messages.SUCCESS,
    )


@admin.register(UitValue)
class UitValueAdmin(SimpleHistoryAdmin):
    list_display = ["year", "amount", "legal_basis"]
    actions = [recompute_size_classes]


@admin.register(SizeRule)
class SizeRuleAdmin(SimpleHistoryAdmin):
    list_display = ["law", "size_class", "rank", "valid_from", "valid_to", "max_workers", "max_sales_uit"]
    list_filter = ["law"]
    actions = [recompute_size_classes]


@admin.register(Ubigeo)
class UbigeoAdmin(admin.ModelAdmin):
    list_display = ["code", "department", "province", "district"]
    search_fields = ["code", "district", "province", "department"]

    def has_change_permission(self, request, obj=None):
        # Official INEI codes: read-only here.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ["legal_name", "ruc", "subsector", "size_class", "centre"]
    list_filter = ["centre", "subsector", "size_class", "is_formal"]
    search_fields = ["legal_name", "trade_name", "ruc"]
    raw_id_fields = ["district", "created_by"]
    readonly_fields = ["size_class"]
    list_select_related = ["subsector", "centre"]
    paginator = IndexedPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # The pages' search (accents ignored, owners, RUC; indexed), not an UPPER LIKE over every company.
        return selectors.company_search(queryset, search_term), False


@admin.register(Entrepreneur)
class EntrepreneurAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "dni", "company", "centre"]
    list_filter = ["centre", "gender"]
    search_fields = ["last_name", "first_name", "dni"]
    raw_id_fields = ["company", "district", "created_by"]
    list_select_related = ["company", "centre"]
    paginator = IndexedPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return selectors.entrepreneur_search(queryset, search_term), False


class ProblemNodeInline(admin.TabularInline):
    model = ProblemNode
    extra = 0
    raw_id_fields = ["parent"]


@admin.register(Diagnosis)
class DiagnosisAdmin(SimpleHistoryAdmin):
    list_display = ["company", "date", "status", "promoter", "centre"]
    list_filter = ["status", "centre"]
    raw_id_fields = ["company", "promoter"]
    inlines = [ProblemNodeInline]
    list_select_related = ["company", "promoter", "centre"]


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["need_type", "company", "entrepreneur", "status", "centre", "created_at"]
    list_filter = ["status", "need_type", "centre"]
    raw_id_fields = ["company", "entrepreneur", "diagnosis"]
    list_select_related = ["company", "entrepreneur", "centre"]
