from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        """Registration: the managers' menu entry, the monthly report (PDF), and the signals that keep the
        cached dashboard fresh."""
        from core.navigation import NavItem, register_menu
        from core.reports import ReportKind, register_report

        from . import cache, reports
        from .permissions import policy

        cache.connect_signals()
        register_menu(
            NavItem(
                _("Dashboard"), "monitoring:dashboard", icon="graph-up", permission=(policy, "dashboard_view"), order=5
            )
        )
        register_report(
            ReportKind(
                key="monitoring.monthly",
                title=_("Monthly report of the dashboard (PDF)"),
                get_object=reports.dashboard,
                clean_parameters=reports.monthly_parameters,
                resolve=reports.monthly_report,
                template="monitoring/pdf/monthly.html",
                context=reports.context,
                filename=reports.filename,
            )
        )
