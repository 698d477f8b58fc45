"""The roles of the centre's staff, kept as Django groups.

A role is a group whose name is the role's code. The permissions each role holds
(used by the Django admin) are declared here and synced after every migrate, so
that models added by later apps are covered without a new data migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROMOTER = "promoter", _("Promoter")
    CONSULTANT = "consultant", _("Consultant")
    COORDINATOR = "coordinator", _("Centre coordinator")
    NATIONAL_MANAGER = "national_manager", _("National manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    CREDIT_OFFICER = "credit_officer", _("Credit officer")
    FRONT_DESK = "front_desk", _("Front desk")


# Who may do what is each app's policy (<app>/permissions.py); which centres a role sees,
# core's policy (core/permissions.py).

# Django model permissions per role, as "app_label.codename"; "app_label.*" is
# every permission of an app, "*.view" every view permission.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.ADMINISTRATOR: ("*.*",),
    Role.NATIONAL_MANAGER: ("*.view",),
    Role.COORDINATOR: ("core.view_centre", "core.view_user"),
    Role.PROMOTER: ("core.view_centre",),
    Role.CONSULTANT: ("core.view_centre",),
    Role.CREDIT_OFFICER: ("core.view_centre",),
    Role.FRONT_DESK: ("core.view_centre",),
}


def _matches(pattern: str, app_label: str, codename: str) -> bool:
    pattern_app, _dot, pattern_code = pattern.partition(".")
    if pattern_app not in ("*", app_label):
        return False
    if pattern_code == "*":
        return True
    if pattern_code in ("view", "add", "change", "delete"):
        return codename.startswith(f"{pattern_code}_")
    return pattern_code == codename


def sync_role_groups(group_model, permission_model) -> None:
    """Create the role groups and give each exactly the permissions declared above."""
    permissions = list(permission_model.objects.select_related("content_type"))
    for role in Role:
        group, _created = group_model.objects.get_or_create(name=role.value)
        patterns = ROLE_PERMISSIONS.get(role, ())
        wanted = [
            p
            for p in permissions
            if any(_matches(pattern, p.content_type.app_label, p.codename) for pattern in patterns)
        ]
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    # post_migrate fires once per app with models, after that app's permissions
    # exist; syncing after the last of them sees every permission.
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    with_models = [a for a in apps.get_app_configs() if a.models_module is not None]
    if app_config is not None and app_config is not with_models[-1]:
        return
    sync_role_groups(Group, Permission)
