"""Page and API give the same answer for every action of every policy, for every role.

Each app keeps a table, ``<app>/tests/parity.py`` (``CASES``), with one row per action of
its policy (``<app>/permissions.py``): how to build a record, the page request and the
API request that take the action, and what must stay the same when the action is
refused. For each role the test makes both requests on two fresh records and asserts
that they answer alike (allowed, 403 or 404), that the answer agrees with the policy,
and that a refused write changed nothing. A policy without a table, or an action
without a row, fails ``test_every_policy_action_has_a_row``.
"""

import importlib

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.policy import all_policies
from core.tests.parity import Request

pytestmark = pytest.mark.django_db

ROLES = ["promoter", "consultant", "coordinator", "national_manager", "administrator", "credit_officer", "front_desk"]


def _table(app: str) -> dict:
    module = "core.tests.parity_cases" if app == "core" else f"{app}.tests.parity"
    return importlib.import_module(module).CASES


def test_every_policy_action_has_a_row():
    for app, policy in all_policies().items():
        assert set(_table(app)) == set(policy.actions), f"{app}: the rows of its parity table and its actions differ"


def _cases():
    for app in sorted(all_policies()):
        for action, case in _table(app).items():
            if case.not_a_request:
                continue
            for role in ROLES:
                yield pytest.param(app, action, role, id=f"{app}.{action}-{role}")


def _outcome(status: int) -> str:
    if status == 403:
        return "forbidden"
    if status == 404:
        return "not found"
    assert status < 500, status
    return "allowed"


def _send(client, request: Request):
    method, url, data = request
    if isinstance(client, APIClient):
        return getattr(client, method)(url, data, format="json")
    return getattr(client, method)(url, data)


@pytest.fixture
def ctx(lima, huancayo, promoter, consultant, coordinator, national_manager, administrator, credit_officer, front_desk):
    return {
        "lima": lima,
        "huancayo": huancayo,
        "promoter": promoter,
        "consultant": consultant,
        "coordinator": coordinator,
        "national_manager": national_manager,
        "administrator": administrator,
        "credit_officer": credit_officer,
        "front_desk": front_desk,
    }


@pytest.mark.parametrize(("app", "action", "role"), list(_cases()))
def test_page_and_api_answer_alike_and_a_refused_write_changes_nothing(ctx, app, action, role):
    case = _table(app)[action]
    policy = all_policies()[app]
    user = ctx[role]
    outcomes = {}
    for channel, build_request, client in (("page", case.page, Client()), ("api", case.api, APIClient())):
        if build_request is None:
            continue
        record = case.setup(ctx)  # a fresh record per channel: one request cannot change the other's answer
        before = case.snapshot(record) if case.snapshot else None
        client.force_login(user)
        outcome = _outcome(_send(client, build_request(record)).status_code)
        outcomes[channel] = outcome
        may = policy.can(user, action, record if case.on_object else None)
        if outcome == "forbidden":
            assert not may, f"{channel}: 403 although the policy allows {role} to {action}"
        if outcome == "allowed":
            assert may, f"{channel}: {role} got through although the policy refuses {action}"
        if outcome != "allowed" and case.snapshot:
            assert case.snapshot(record) == before, f"{channel}: a refused {action} changed the record"
    if len(outcomes) == 2:
        assert outcomes["page"] == outcomes["api"], f"{role} {action}: page {outcomes['page']}, API {outcomes['api']}"
