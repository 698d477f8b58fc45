"""Page and API give the same answer for every action of every policy, for every role.

One row per action of each app's policy (``<app>/permissions.py``): how to build a
record, the page request and the API request that take the action, and what must
stay the same when the action is refused. For each role the test makes both
requests on two fresh records and asserts that they answer alike (allowed, 403 or
404), that the answer agrees with the policy, and that a refused write changed
nothing. A new action without a row fails ``test_every_policy_action_has_a_row``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from assistance.models import Service, Stage
from assistance.permissions import policy as assistance_policy
from assistance.tests.factories import build_service
from clients.models import Company, Diagnosis, Entrepreneur
from clients.permissions import policy as clients_policy
from clients.tests.factories import CompanyFactory, DiagnosisFactory, EntrepreneurFactory
from consultants.models import Consultant
from consultants.permissions import policy as consultants_policy
from consultants.tests.factories import ConsultantFactory
from core.permissions import policy as core_policy
from core.policy import all_policies

pytestmark = pytest.mark.django_db

ROLES = ["promoter", "consultant", "coordinator", "national_manager", "administrator", "credit_officer", "front_desk"]

Request = tuple[str, str, dict]  # method, url, data


@dataclass(frozen=True)
class Case:
    """How to exercise one policy action through the page and through the API."""

    setup: Callable[[dict], Any] | None = None  # builds the record (ctx: centres and users)
    page: Callable[[Any], Request] | None = None
    api: Callable[[Any], Request] | None = None
    snapshot: Callable[[Any], Any] | None = None  # what a refused write must leave as it was
    on_object: bool = True  # whether the policy is asked about the record
    not_a_request: str = ""  # why neither page nor API exercises it


def _get(url):
    return ("get", url, {})


def _post(url, data=None):
    return ("post", url, data or {})


# --- Clients ---------------------------------------------------------------------------------------


def _company(ctx):
    return CompanyFactory(centre=ctx["lima"], created_by=ctx["promoter"])


def _person(ctx):
    return EntrepreneurFactory(centre=ctx["lima"], company=None)


def _draft(ctx):
    return DiagnosisFactory(company=_company(ctx), promoter=ctx["promoter"])


def _row(model, *fields):
    return lambda obj: tuple(model.objects.filter(pk=obj.pk).values_list(*fields).get())


CLIENTS = {
    "company_view": Case(
        _company,
        page=lambda c: _get(reverse("clients:company_detail", args=[c.pk])),
        api=lambda c: _get(reverse("company-detail", args=[c.pk])),
    ),
    "company_create": Case(
        _company,
        page=lambda c: _post(reverse("clients:company_create"), {"legal_name": "Nueva"}),
        api=lambda c: _post(reverse("company-list"), {"legal_name": "Nueva"}),
        snapshot=lambda c: Company.objects.count(),
        on_object=False,
    ),
    "company_update": Case(
        _company,
        page=lambda c: _post(reverse("clients:company_update", args=[c.pk]), {"legal_name": ""}),
        api=lambda c: ("patch", reverse("company-detail", args=[c.pk]), {"phone": "964111222"}),
        snapshot=_row(Company, "legal_name", "phone"),
    ),
    "entrepreneur_view": Case(
        _person,
        page=lambda p: _get(reverse("clients:entrepreneur_detail", args=[p.pk])),
        api=lambda p: _get(reverse("entrepreneur-detail", args=[p.pk])),
    ),
    "entrepreneur_create": Case(
        _person,
        page=lambda p: _post(reverse("clients:entrepreneur_create"), {"first_name": "Ana"}),
        api=lambda p: _post(reverse("entrepreneur-list"), {"first_name": "Ana"}),
        snapshot=lambda p: Entrepreneur.objects.count(),
        on_object=False,
    ),
    "entrepreneur_update": Case(
        _person,
        page=lambda p: _post(reverse("clients:entrepreneur_update", args=[p.pk]), {"first_name": ""}),
        api=lambda p: ("patch", reverse("entrepreneur-detail", args=[p.pk]), {"phone": "964111222"}),
        snapshot=_row(Entrepreneur, "first_name", "phone"),
    ),
    "diagnosis_view": Case(
        _draft,
        page=lambda d: _get(reverse("clients:diagnosis_detail", args=[d.pk])),
        api=lambda d: _get(reverse("diagnosis-detail", args=[d.pk])),
    ),
    "diagnosis_create": Case(
        _company,
        page=lambda c: _post(reverse("clients:diagnosis_create", args=[c.pk]), {"date": "x"}),
        api=lambda c: _post(reverse("diagnosis-list"), {"company": c.pk, "date": "x"}),
        snapshot=lambda c: Diagnosis.objects.count(),
        on_object=False,
    ),
    "diagnosis_update": Case(
        _draft,
        page=lambda d: _post(reverse("clients:diagnosis_update", args=[d.pk]), {"date": "x"}),
        api=lambda d: ("patch", reverse("diagnosis-detail", args=[d.pk]), {"notes": "Visita de control"}),
        snapshot=_row(Diagnosis, "date", "notes"),
    ),
    "diagnosis_complete": Case(
        _draft,
        page=lambda d: _post(reverse("clients:diagnosis_complete", args=[d.pk])),
        api=lambda d: _post(reverse("diagnosis-complete", args=[d.pk])),
        snapshot=_row(Diagnosis, "status"),
        on_object=False,
    ),
    "problem_tree_edit": Case(
        _draft,
        page=lambda d: _post(reverse("clients:node_add", args=[d.pk]), {"kind": "central", "text": "Baja venta"}),
        api=lambda d: _post(reverse("diagnosis-nodes", args=[d.pk]), {"kind": "central", "text": "Baja venta"}),
        snapshot=lambda d: d.nodes.count(),
        on_object=False,
    ),
    "need_view": Case(
        _company,
        page=lambda c: _get(reverse("clients:need_list")),
        api=lambda c: _get(reverse("need-list")),
        on_object=False,
    ),
    "draft_diagnoses_view": Case(not_a_request="a home-page panel: core/tests/test_views.py shows it by role"),
    "need_record": Case(not_a_request="called by other apps' services on behalf of an action they allowed"),
    "need_answer": Case(not_a_request="called by other apps' services on behalf of an action they allowed"),
}


# --- Technical assistance ----------------------------------------------------------------------------


def _service(stage, *, ready=False):
    """A Lima service in ``stage`` with the Lima consultant assigned (so the consultant sees it)."""

    def make(ctx):
        service = build_service(
            stage,
            promoter=ctx["promoter"],
            coordinator=ctx["coordinator"],
            consultant_user=ctx["consultant"],
            centre=ctx["lima"],
            ready=ready,
        )
        if not service.consultants.filter(user=ctx["consultant"]).exists():
            profile = Consultant.objects.filter(user=ctx["consultant"]).first()
            service.consultants.add(profile or ConsultantFactory(user=ctx["consultant"], centres=[ctx["lima"]]))
        return Service.objects.get(pk=service.pk)

    return make


def _service_row(*fields):
    return _row(Service, *fields)


def _action(name):
    return lambda s: reverse(f"assistance:{name}", args=[s.pk])


def _api(name):
    return lambda s: reverse(f"service-{name}", args=[s.pk])


ASSISTANCE = {
    "service_view": Case(
        _service(Stage.PROMOTION),
        page=lambda s: _get(_action("service_detail")(s)),
        api=lambda s: _get(reverse("service-detail", args=[s.pk])),
    ),
    "pipeline_view": Case(
        _service(Stage.PROMOTION), page=lambda s: _get(reverse("assistance:pipeline")), on_object=False
    ),
    "evaluations_due_view": Case(not_a_request="a home-page panel: core/tests/test_views.py shows it by role"),
    "my_services_view": Case(not_a_request="a home-page panel: core/tests/test_views.py shows it by role"),
    "service_open": Case(
        _service(Stage.PROMOTION),
        page=lambda s: _post(reverse("assistance:service_open"), {"company": s.company_id}),
        api=lambda s: _post(reverse("service-list"), {"company": s.company_id}),
        snapshot=lambda s: Service.objects.count(),
        on_object=False,
    ),
    "service_advance": Case(
        _service(Stage.PROMOTION),
        page=lambda s: _post(_action("service_advance")(s), {"to_stage": "diagnosis"}),
        api=lambda s: _post(_api("advance")(s), {"to_stage": "diagnosis"}),
        snapshot=_service_row("stage"),
    ),
    "service_cancel": Case(
        _service(Stage.PROMOTION),
        page=lambda s: _post(_action("service_cancel")(s), {"reason": "El dueño viajó"}),
        api=lambda s: _post(_api("cancel")(s), {"reason": "El dueño viajó"}),
        snapshot=_service_row("stage", "cancel_reason"),
    ),
    "service_reopen": Case(
        _service(Stage.PROPOSAL),
        page=lambda s: _post(_action("service_reopen")(s), {"to_stage": "diagnosis", "reason": "Faltó algo"}),
        api=lambda s: _post(_api("reopen")(s), {"to_stage": "diagnosis", "reason": "Faltó algo"}),
        snapshot=_service_row("stage"),
    ),
    "service_link_diagnosis": Case(
        _service(Stage.DIAGNOSIS),
        page=lambda s: _post(_action("service_link_diagnosis")(s)),
        api=lambda s: _post(_api("diagnosis")(s)),
        snapshot=_service_row("diagnosis_id"),
    ),
    "service_assign_consultant": Case(
        _service(Stage.PROMOTION),
        page=lambda s: _post(_action("service_assign")(s)),
        api=lambda s: _post(_api("consultants")(s)),
        snapshot=lambda s: sorted(s.consultants.values_list("pk", flat=True)),
    ),
    "proposal_edit": Case(
        _service(Stage.PROPOSAL),
        page=lambda s: _post(
            _action("budget_add")(s), {"kind": "materials", "description": "Moldes", "quantity": "2", "unit_cost": "15"}
        ),
        api=lambda s: _post(
            _api("budget-lines")(s), {"kind": "materials", "description": "Moldes", "quantity": "2", "unit_cost": "15"}
        ),
        snapshot=_service_row("total_cost", "owner_share"),
    ),
    "owner_decision_record": Case(
        _service(Stage.PROPOSAL),
        page=lambda s: _post(_action("owner_decision")(s), {"accepted": "False"}),
        api=lambda s: _post(_api("owner-decision")(s), {"accepted": False}),
        snapshot=_service_row("owner_decision", "owner_decision_on"),
    ),
    "price_approve": Case(
        _service(Stage.PROPOSAL),
        page=lambda s: _post(_action("approve_price")(s)),
        api=lambda s: _post(_api("approve-price")(s)),
        snapshot=_service_row("price_approved_at"),
    ),
    "plan_edit": Case(
        _service(Stage.ACTION_PLAN),
        page=lambda s: _post(_action("activity_add")(s), {"description": ""}),
        api=lambda s: _post(_api("activities")(s), {"description": ""}),
        snapshot=lambda s: s.activities.count(),
    ),
    "execution_record": Case(
        _service(Stage.EXECUTION),
        page=lambda s: _post(_action("visit_add")(s), {"notes": ""}),
        api=lambda s: _post(_api("visits")(s), {"notes": ""}),
        snapshot=lambda s: s.visits.count(),
    ),
    "evaluation_record": Case(
        _service(Stage.EVALUATION),
        page=lambda s: _post(_action("evaluation_record")(s), {"satisfaction": "x"}),
        api=lambda s: _post(_api("evaluation")(s), {"satisfaction": "x"}),
        snapshot=_service_row("stage"),
    ),
}


# --- Consultant directory ---------------------------------------------------------------------------


def _entry(ctx):
    return ConsultantFactory(centres=[ctx["lima"]], status=Consultant.Status.PROPOSED)


CONSULTANTS = {
    "consultant_view": Case(
        _entry,
        page=lambda c: _get(reverse("consultants:consultant_detail", args=[c.pk])),
        api=lambda c: _get(reverse("consultant-detail", args=[c.pk])),
    ),
    "consultant_edit": Case(
        _entry,
        page=lambda c: _post(reverse("consultants:consultant_update", args=[c.pk]), {"last_name": ""}),
        api=lambda c: ("patch", reverse("consultant-detail", args=[c.pk]), {"phone": "964111222"}),
        snapshot=_row(Consultant, "last_name", "phone"),
    ),
    "consultant_validate": Case(
        _entry,
        page=lambda c: _post(reverse("consultants:consultant_status", args=[c.pk]), {"status": "rejected"}),
        snapshot=_row(Consultant, "status"),
    ),
    "document_upload": Case(
        _entry,
        page=lambda c: _post(reverse("consultants:document_upload", args=[c.pk]), {"kind": "degree"}),
        snapshot=lambda c: c.documents.count(),
    ),
}


# --- Core ----------------------------------------------------------------------------------------------

CORE = {
    "home_view": Case(lambda ctx: None, page=lambda _: _get(reverse("home")), on_object=False),
    "admin_site": Case(not_a_request="the Django admin: staff flag and model permissions (core/tests/test_roles.py)"),
    "api_docs": Case(not_a_request="a menu entry only: the schema is public to every signed-in user"),
    "centre_view": Case(lambda ctx: ctx["lima"], api=lambda c: _get(reverse("centre-detail", args=[c.pk]))),
    "report_request": Case(not_a_request="the report kind's own get_object asks the owning app's policy"),
}

TABLES = {"clients": CLIENTS, "assistance": ASSISTANCE, "consultants": CONSULTANTS, "core": CORE}
POLICIES = {
    "clients": clients_policy,
    "assistance": assistance_policy,
    "consultants": consultants_policy,
    "core": core_policy,
}


def test_every_policy_action_has_a_row():
    for app, policy in all_policies().items():
        assert app in TABLES, f"the {app} policy has no parity table in tests/test_policy_parity.py"
        assert set(TABLES[app]) == set(policy.actions), f"{app}: rows and policy actions differ"


def _cases():
    for app, table in TABLES.items():
        for action, case in table.items():
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
    case = TABLES[app][action]
    policy = POLICIES[app]
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
