"""The training catalogue in /admin/, with its history (pages do the daily work)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Module, ModuleComponent


class ComponentInline(admin.TabularInline):
    model = ModuleComponent
    extra = 0
    fields = ["kind", "file"]


@admin.register(Module)
class ModuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "subsector", "hours", "delivered_on", "is_active"]
    list_filter = ["is_active", "subsector", "centres"]
    search_fields = ["name"]
    list_select_related = ["subsector"]
    filter_horizontal = ["centres"]
    inlines = [ComponentInline]
