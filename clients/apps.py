from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clients"
    verbose_name = _("Clients and diagnosis")

    def ready(self):
        """Registration only: menu entries, home-page panel, timeline source, the diagnosis PDF, reference data."""
        from django.db.models.signals import post_migrate

        from core.navigation import NavItem, WorkPanel, register_menu, register_panel
        from core.reports import ReportKind, register_report

        from . import reference_data, selectors, timeline
        from .permissions import policy

        register_menu(
            NavItem(_("Companies"), "clients:company_list", icon="shop", permission=(policy, "company_view"), order=10)
        )
        register_menu(
            NavItem(
                _("Entrepreneurs"),
                "clients:entrepreneur_list",
                icon="people",
                permission=(policy, "entrepreneur_view"),
                order=11,
            )
        )
        register_menu(
            NavItem(_("Needs"), "clients:need_list", icon="clipboard-check", permission=(policy, "need_view"), order=12)
        )
        register_panel(
            "clients.draft_diagnoses",
            WorkPanel(
                _("My diagnoses in draft"),
                selectors.draft_diagnoses_panel,
                permission=(policy, "draft_diagnoses_view"),
                order=10,
            ),
        )
        timeline.register_timeline_source("clients.diagnoses", selectors.timeline_diagnoses)
        register_report(
            ReportKind(
                key="clients.diagnosis",
                title=_("Business diagnosis (PDF)"),
                get_object=lambda user, pk: selectors.diagnosis_detail(user=user, pk=pk),
                template="clients/pdf/diagnosis.html",
                context=lambda diagnosis: {
                    "diagnosis": diagnosis,
                    "company": diagnosis.company,
                    "tree": selectors.problem_tree(diagnosis),
                },
                filename=lambda diagnosis: f"diagnostico-{diagnosis.company.pk}-{diagnosis.date:%Y%m%d}.pdf",
            )
        )
        # Reference tables must never be empty, even after a test database flush.
        post_migrate.connect(reference_data.ensure_after_migrate, sender=self, dispatch_uid="clients.reference_data")
