"""The catalogues of technical assistance in /admin/, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "subsector", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["is_active", "subsector"]
    search_fields = ["name"]
    list_select_related = ["subsector"]
