from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        """Registration only: the managers' menu entry."""
        from core.navigation import NavItem, register_menu

        from .permissions import policy

        register_menu(
            NavItem(
                _("Dashboard"), "monitoring:dashboard", icon="graph-up", permission=(policy, "dashboard_view"), order=5
            )
        )
