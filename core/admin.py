from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Centre, User

admin.site.site_header = _("CAT administration")
admin.site.site_title = _("CAT")


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "department", "city", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "city"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["is_active", "groups", "centres"]
    filter_horizontal = ["groups", "user_permissions", "centres"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Centres"), {"fields": ("centres", "phone")}),
    )
