from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consultations"
    verbose_name = _("Technical consultations")

    def ready(self):
        """Registration only: menus, the timeline source, the topics catalogue."""
        from django.db.models.signals import post_migrate

        from clients.timeline import register_timeline_source
        from core.navigation import NavItem, WorkPanel, register_menu, register_panel

        from . import reference_data, selectors
        from .permissions import policy

        register_menu(
            NavItem(
                _("Consultations"),
                "consultations:consultation_list",
                icon="chat-left-text",
                permission=(policy, "consultation_view"),
                order=30,
            )
        )
        register_menu(
            NavItem(
                _("New consultation"),
                "consultations:consultation_create",
                icon="stopwatch",
                permission=(policy, "consultation_create"),
                order=31,
            )
        )
        register_menu(
            NavItem(
                _("Referrals"),
                "consultations:conversion_report",
                icon="bar-chart",
                permission=(policy, "conversion_view"),
                order=32,
            )
        )
        register_menu(
            NavItem(
                _("Library"),
                "consultations:supplier_list",
                icon="book",
                permission=(policy, "library_view"),
                order=33,
            )
        )
        register_panel(
            "consultations.today",
            WorkPanel(
                _("My consultations today"),
                selectors.todays_consultations_panel,
                permission=(policy, "desk_panel_view"),
                order=30,
            ),
        )
        register_timeline_source("consultations.consultations", selectors.timeline_consultations)
        post_migrate.connect(
            reference_data.ensure_after_migrate, sender=self, dispatch_uid="consultations.reference_data"
        )
        from clients.privacy import PersonalDataSource, register_personal_data_source

        from . import privacy

        register_personal_data_source(PersonalDataSource("consultations", privacy.personal_data, privacy.anonymise))
