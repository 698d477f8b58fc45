from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        """Registration only: menus, the home-page panel, the timeline source, the certificate, the catalogue."""
        from django.db.models.signals import post_migrate

        from clients.timeline import register_timeline_source
        from core.navigation import NavItem, WorkPanel, register_menu, register_panel
        from core.reminders import register_reminder_source
        from core.reports import ReportKind, register_report

        from . import reference_data, selectors
        from .permissions import policy

        register_menu(
            NavItem(
                _("Training"),
                "training:offering_list",
                icon="mortarboard",
                permission=(policy, "offering_view"),
                order=30,
            )
        )
        register_menu(
            NavItem(
                _("Training demand"),
                "training:demand",
                icon="bar-chart",
                permission=(policy, "demand_view"),
                order=31,
            )
        )
        register_panel(
            "training.followups_due",
            WorkPanel(
                _("Course follow-ups due"),
                selectors.followups_due_panel,
                permission=(policy, "followup_record"),
                order=30,
            ),
        )
        register_timeline_source("training.courses", selectors.timeline_courses)
        register_reminder_source("training.followup", selectors.followup_reminders)
        register_report(
            ReportKind(
                key="training.certificate",
                title=_("Course certificate (PDF)"),
                get_object=lambda user, pk: selectors.certificate_of(user=user, pk=pk),
                template="training/pdf/certificate.html",
                context=lambda enrolment: {"enrolment": enrolment, "offering": enrolment.offering},
                filename=lambda enrolment: f"certificado-{enrolment.certificate_code}.pdf",
            )
        )
        register_report(
            ReportKind(
                key="training.attendance",
                title=_("Attendance list (PDF)"),
                get_object=lambda user, pk: selectors.offering_detail(user=user, pk=pk),
                template="training/pdf/attendance.html",
                context=lambda offering: {"offering": offering, "grid": selectors.attendance_grid(offering)},
                filename=lambda offering: f"asistencia-{offering.code or offering.pk}.pdf",
            )
        )
        post_migrate.connect(reference_data.ensure_after_migrate, sender=self, dispatch_uid="training.reference_data")
        from clients.privacy import PersonalDataSource, register_personal_data_source

        from . import privacy

        register_personal_data_source(PersonalDataSource("training", privacy.personal_data))
