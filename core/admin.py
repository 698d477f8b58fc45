from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Centre, CentreSettings, User

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


@admin.register(CentreSettings)
class CentreSettingsAdmin(SimpleHistoryAdmin):
    """The parameters of the domain: the network default and each centre's own, when it has them."""

    list_display = ["__str__", "promotion_limit_days", "execution_limit_days", "evaluation_from_days",
                    "evaluation_until_days", "satisfaction_scale", "idle_consultant_months"]  # fmt: skip
    fieldsets = (
        (None, {"fields": ["centre"]}),
        (
            _("Technical assistance"),
            {
                "fields": [
                    ("promotion_limit_days", "diagnosis_limit_days", "proposal_limit_days"),
                    ("action_plan_limit_days", "execution_limit_days"),
                    ("evaluation_from_days", "evaluation_until_days"),
                    "satisfaction_scale",
                ]
            },
        ),
        (
            _("Consultant directory"),
            {
                "fields": [
                    "idle_consultant_months",
                    ("suggestion_weight_subsector", "suggestion_weight_area"),
                    ("suggestion_weight_score", "suggestion_weight_workload"),
                ]
            },
        ),
        (
            _("Technical consultations"),
            {"fields": [("consultation_limit_minutes", "referral_window_days")]},
        ),
        (_("Training"), {"fields": [("training_completion_attendance", "training_followup_days")]}),
        (
            _("Rotating credit fund"),
            {"fields": [("credit_default_monthly_rate", "credit_default_fee_rate"), "credit_par_days"]},
        ),
    )
