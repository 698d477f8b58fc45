from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Centres and users")

    def ready(self):
        from . import checks, roles  # noqa: F401 - checks registers itself
        from .navigation import NavItem, register_menu
        from .permissions import policy

        register_menu(NavItem(_("My work"), "home", icon="house", permission=(policy, "home_view"), order=0))
        register_menu(
            NavItem(_("Administration"), "admin:index", icon="gear", permission=(policy, "admin_site"), order=900)
        )
        register_menu(NavItem(_("API"), "api-docs", icon="braces", permission=(policy, "api_docs"), order=910))

        # Later apps add models after the roles migration ran: every migrate
        # (and every test-database flush) re-syncs the roles' permissions.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="core.sync_roles")
