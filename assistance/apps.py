from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assistance"
    verbose_name = _("Technical assistance")

    def ready(self):
        """Registration only: menus, home-page panels, the timeline source, the company action, the PDF."""
        from django.db.models.signals import post_migrate

        from clients.timeline import CompanyAction, register_company_action, register_timeline_source
        from consultants.track_record import register_track_record, register_work_list
        from core.navigation import NavItem, WorkPanel, register_menu, register_panel
        from core.reminders import register_reminder_source
        from core.reports import ReportKind, register_report

        from . import reference_data, selectors
        from .permissions import policy

        register_menu(
            NavItem(
                _("Assistance"),
                "assistance:service_list",
                icon="tools",
                permission=(policy, "service_view"),
                order=20,
            )
        )
        register_menu(
            NavItem(_("Pipeline"), "assistance:pipeline", icon="kanban", permission=(policy, "pipeline_view"), order=21)
        )
        register_panel(
            "assistance.evaluations_due",
            WorkPanel(
                _("Evaluations due"),
                selectors.evaluations_due_panel,
                permission=(policy, "evaluations_due_view"),
                order=20,
            ),
        )
        register_panel(
            "assistance.my_services",
            WorkPanel(_("My services"), selectors.my_services_panel, permission=(policy, "my_services_view"), order=20),
        )
        register_timeline_source("assistance.services", selectors.timeline_services)
        # The directory shows what each consultant did here without importing this app.
        register_track_record("assistance.services", selectors.consultant_track_record)
        register_work_list("assistance.services", selectors.consultant_work)
        register_company_action(
            "assistance.open",
            CompanyAction(
                _("Open a service"),
                "assistance:service_open",
                permission=(policy, "service_open"),
                icon="tools",
            ),
        )
        register_report(
            ReportKind(
                key="assistance.expediente",
                title=_("File of the service (PDF)"),
                get_object=lambda user, pk: selectors.service_detail(user=user, pk=pk),
                template="assistance/pdf/expediente.html",
                context=lambda service: {
                    "service": service,
                    "report": selectors.report_of(service),
                    "evaluation": selectors.evaluation_of(service),
                    "satisfaction_scale": selectors.satisfaction_scale(service),
                },
                filename=lambda service: f"expediente-{service.code}.pdf",
            )
        )
        register_reminder_source("assistance.evaluation", selectors.evaluation_reminders)
        register_reminder_source("assistance.activity_due", selectors.activity_reminders)
        register_reminder_source(
            "assistance.activity_overdue", lambda today: selectors.activity_reminders(today, overdue=True)
        )
        post_migrate.connect(reference_data.ensure_after_migrate, sender=self, dispatch_uid="assistance.reference_data")
