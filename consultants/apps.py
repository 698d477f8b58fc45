from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consultants"
    verbose_name = _("Consultant directory")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.navigation import NavItem, register_menu
        from core.reminders import register_reminder_source

        from . import reference_data, selectors
        from .permissions import policy

        register_menu(
            NavItem(
                _("Consultants"),
                "consultants:consultant_list",
                icon="person-badge",
                permission=(policy, "consultant_view"),
                order=22,
            )
        )
        register_reminder_source("consultants.accreditation_expiring", selectors.accreditation_reminders)
        register_reminder_source(
            "consultants.accreditation_expired", lambda today: selectors.accreditation_reminders(today, expired=True)
        )
        post_migrate.connect(
            reference_data.ensure_after_migrate, sender=self, dispatch_uid="consultants.reference_data"
        )
