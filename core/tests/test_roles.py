import pytest
from django.contrib.auth.models import Group

from core.roles import Role, sync_role_groups

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_administrator_holds_every_permission_and_promoter_only_what_is_declared():
    from django.contrib.auth.models import Permission

    sync_role_groups(Group, Permission)
    admin = Group.objects.get(name=Role.ADMINISTRATOR)
    promoter = Group.objects.get(name=Role.PROMOTER)
    assert admin.permissions.count() == Permission.objects.count()
    assert list(promoter.permissions.values_list("codename", flat=True)) == ["view_centre"]


def test_national_manager_may_view_but_not_change():
    manager = Group.objects.get(name=Role.NATIONAL_MANAGER)
    codenames = set(manager.permissions.values_list("codename", flat=True))
    assert "view_centre" in codenames
    assert not any(c.startswith(("add_", "change_", "delete_")) for c in codenames)
