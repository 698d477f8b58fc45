"""The directory and its catalogue in /admin/, with their history.

Validation is a decision with its own rule (evidence of the three requirements): the
status and who decided it are read-only here and changed on the consultant's page.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccreditationDocument, Consultant, SpecialtyArea


@admin.register(SpecialtyArea)
class SpecialtyAreaAdmin(SimpleHistoryAdmin):
    list_display = ["code"]


class AccreditationDocumentInline(admin.TabularInline):
    model = AccreditationDocument
    extra = 0
    fields = ["kind", "description", "file", "issued_on", "expires_on", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    raw_id_fields = ["uploaded_by"]


@admin.register(Consultant)
class ConsultantAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "status", "profession", "hourly_fee", "is_staff_member"]
    list_filter = ["status", "is_staff_member", "centres", "areas"]
    search_fields = ["last_name", "first_name", "email", "profession"]
    filter_horizontal = ["subsectors", "areas", "centres"]
    raw_id_fields = ["user"]
    readonly_fields = ["status", "status_decided_by", "status_decided_at"]
    inlines = [AccreditationDocumentInline]


@admin.register(AccreditationDocument)
class AccreditationDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["consultant", "kind", "description", "expires_on", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "expires_on"]
    search_fields = ["consultant__last_name", "consultant__first_name", "description"]
    raw_id_fields = ["consultant", "uploaded_by"]
    list_select_related = ["consultant", "uploaded_by"]
