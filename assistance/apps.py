from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assistance"
    verbose_name = _("Technical assistance")

    def ready(self):
        from django.db.models.signals import post_migrate

        from clients.timeline import CompanyAction, register_company_action, register_timeline_source
        from consultants.track_record import register_track_record, register_work_list
        from core.navigation import NavItem, WorkPanel, register_menu, register_panel
        from core.reports import ReportKind, register_report
        from core.roles import Role

        from . import reference_data, selectors

        staff = frozenset(Role)
        register_menu(NavItem(_("Assistance"), "assistance:service_list", icon="tools", roles=staff, order=20))
        register_menu(
            NavItem(
                _("Pipeline"),
                "assistance:pipeline",
                icon="kanban",
                roles=frozenset({Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR, Role.PROMOTER}),
                order=21,
            )
        )
        register_panel(
            "assistance.evaluations_due",
            WorkPanel(
                _("Evaluations due"),
                evaluations_due_panel,
                roles=frozenset({Role.PROMOTER, Role.COORDINATOR}),
                order=20,
            ),
        )
        register_panel(
            "assistance.my_services",
            WorkPanel(_("My services"), my_services_panel, roles=frozenset({Role.CONSULTANT}), order=20),
        )
        register_timeline_source("assistance.services", timeline_services)
        # The directory shows what each consultant did here without importing this app.
        register_track_record("assistance.services", selectors.consultant_track_record)
        register_work_list("assistance.services", selectors.consultant_work)
        register_company_action(
            "assistance.open",
            CompanyAction(
                _("Open a service"),
                "assistance:service_open",
                roles=frozenset({Role.PROMOTER, Role.COORDINATOR, Role.ADMINISTRATOR}),
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
                },
                filename=lambda service: f"expediente-{service.code}.pdf",
            )
        )
        post_migrate.connect(reference_data.ensure_after_migrate, sender=self, dispatch_uid="assistance.reference_data")


def evaluations_due_panel(user):
    from django.urls import reverse

    from .selectors import evaluations_due

    return [
        (f"{s.code} · {s.company}", reverse("assistance:service_detail", args=[s.pk]))
        for s in evaluations_due(user=user)[:10]
    ]


def my_services_panel(user):
    from django.urls import reverse

    from .models import OPEN_STAGES
    from .selectors import service_list

    services = service_list(user=user).filter(stage__in=OPEN_STAGES, consultants__user=user)[:10]
    return [
        (f"{s.code} · {s.get_stage_display()} · {s.company}", reverse("assistance:service_detail", args=[s.pk]))
        for s in services
    ]


def timeline_services(companies):
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _t

    from clients.timeline import TimelineEvent

    from .models import Service

    return [
        TimelineEvent(
            company_id=s.company_id,
            date=timezone.localdate(s.created_at),
            kind=_t("Technical assistance"),
            title=f"{s.code} · {s.title} ({s.get_stage_display()})",
            url=reverse("assistance:service_detail", args=[s.pk]),
            icon="tools",
        )
        for s in Service.objects.filter(company__in=companies)
    ]
