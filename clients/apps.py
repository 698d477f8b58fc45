from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clients"
    verbose_name = _("Clients and diagnosis")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.navigation import NavItem, WorkPanel, register_menu, register_panel
        from core.roles import Role

        from . import reference_data, timeline

        staff = frozenset(Role)
        register_menu(NavItem(_("Companies"), "clients:company_list", icon="shop", roles=staff, order=10))
        register_menu(NavItem(_("Entrepreneurs"), "clients:entrepreneur_list", icon="people", roles=staff, order=11))
        register_menu(
            NavItem(
                _("Needs"),
                "clients:need_list",
                icon="clipboard-check",
                roles=frozenset({Role.PROMOTER, Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR}),
                order=12,
            )
        )
        register_panel(
            "clients.draft_diagnoses",
            WorkPanel(
                _("My diagnoses in draft"),
                draft_diagnoses_panel,
                roles=frozenset({Role.PROMOTER, Role.COORDINATOR}),
                order=10,
            ),
        )
        timeline.register_timeline_source("clients.diagnoses", timeline_diagnoses)
        # Reference tables must never be empty, even after a test database flush.
        post_migrate.connect(reference_data.ensure_after_migrate, sender=self, dispatch_uid="clients.reference_data")


def timeline_diagnoses(companies):
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from .models import Diagnosis
    from .timeline import TimelineEvent

    return [
        TimelineEvent(
            company_id=d.company_id,
            date=d.date,
            kind=_t("Diagnosis"),
            title=f"{d.get_status_display()} · {d.promoter}",
            url=reverse("clients:diagnosis_detail", args=[d.pk]),
            icon="clipboard-data",
        )
        for d in Diagnosis.objects.filter(company__in=companies).select_related("promoter")
    ]


def draft_diagnoses_panel(user):
    """The promoter's unfinished interviews: (text, url) pairs for the home page."""
    from django.urls import reverse

    from .models import Diagnosis

    drafts = Diagnosis.objects.filter(promoter=user, status=Diagnosis.Status.DRAFT).select_related("company")[:10]
    return [(f"{d.company} · {d.date:%d/%m/%Y}", reverse("clients:diagnosis_detail", args=[d.pk])) for d in drafts]
