from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Consultation, FactSheet, Supplier, Topic


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "supplies", "subsector", "source", "centre", "is_active"]
    list_filter = ["source", "subsector", "centre", "is_active"]
    search_fields = ["name", "supplies", "contact"]
    autocomplete_fields = ["district"]


@admin.register(FactSheet)
class FactSheetAdmin(SimpleHistoryAdmin):
    list_display = ["title", "subsector", "centre", "is_active"]
    list_filter = ["subsector", "centre", "is_active"]
    search_fields = ["title", "body"]


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    """Read-mostly: the desk logs consultations through the service (which times and refers them)."""

    list_display = ["started_at", "centre", "topic", "channel", "duration_seconds", "over_limit", "referral"]
    list_filter = ["centre", "channel", "topic", "over_limit", "referral"]
    search_fields = ["question", "answer", "contact_name"]
    readonly_fields = [f.name for f in Consultation._meta.fields] + ["suppliers", "fact_sheets"]

    def has_add_permission(self, request):
        return False
