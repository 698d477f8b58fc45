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
        # The service's documents: each the same record and context, its own template.
        for key, title, template, prefix in (
            ("expediente", _("File of the service (PDF)"), "expediente", "expediente"),
            ("proposal", _("Technical-economic proposal (PDF)"), "proposal", "propuesta"),
            ("action_plan", _("Action plan (PDF)"), "action_plan", "plan-de-accion"),
            ("technical_report", _("Technical report (PDF)"), "technical_report", "informe-tecnico"),
            ("evaluation", _("Evaluation of the service (PDF)"), "evaluation", "evaluacion"),
        ):
            register_report(
                ReportKind(
                    key=f"assistance.{key}",
                    title=title,
                    get_object=lambda user, pk: selectors.service_detail(user=user, pk=pk),
                    template=f"assistance/pdf/{template}.html",
                    context=selectors.document_context,
                    filename=lambda service, prefix=prefix: f"{prefix}-{service.code}.pdf",
                )
            )
        register_reminder_source("assistance.evaluation", selectors.evaluation_reminders)
        register_reminder_source("assistance.activity_due", selectors.activity_reminders)
        register_reminder_source(
            "assistance.activity_overdue", lambda today: selectors.activity_reminders(today, overdue=True)
        )
        post_migrate.connect(reference_data.ensure_after_migrate, sender=self, dispatch_uid="assistance.reference_data")
