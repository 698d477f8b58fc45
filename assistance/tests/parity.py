"""Technical assistance's rows of the page/API parity test (tests/test_policy_parity.py)."""

from django.urls import reverse

from assistance.models import Service, Stage
from assistance.tests.factories import build_service
from consultants.models import Consultant
from consultants.tests.factories import ConsultantFactory
from core.tests.parity import Case, get, post, row

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


def _service_columns(*fields):
    return row(Service, *fields)


def _action(name):
    return lambda s: reverse(f"assistance:{name}", args=[s.pk])


def _api(name):
    return lambda s: reverse(f"service-{name}", args=[s.pk])


CASES = {
    # History pages have no API: the auditors only (core.policy.AUDITORS and the record's view rule).
    "history_view": Case(_service(Stage.PROMOTION), page=lambda s: get(_action("service_history")(s))),
    "service_view": Case(
        _service(Stage.PROMOTION),
        page=lambda s: get(_action("service_detail")(s)),
        api=lambda s: get(reverse("service-detail", args=[s.pk])),
    ),
    "pipeline_view": Case(
        _service(Stage.PROMOTION), page=lambda s: get(reverse("assistance:pipeline")), on_object=False
    ),
    "evaluations_due_view": Case(not_a_request="a home-page panel: core/tests/test_views.py shows it by role"),
    "my_services_view": Case(not_a_request="a home-page panel: core/tests/test_views.py shows it by role"),
    "service_open": Case(
        _service(Stage.PROMOTION),
        page=lambda s: post(reverse("assistance:service_open"), {"company": s.company_id}),
        api=lambda s: post(reverse("service-list"), {"company": s.company_id}),
        snapshot=lambda s: Service.objects.count(),
        on_object=False,
    ),
    "service_advance": Case(
        _service(Stage.PROMOTION),
        page=lambda s: post(_action("service_advance")(s), {"to_stage": "diagnosis"}),
        api=lambda s: post(_api("advance")(s), {"to_stage": "diagnosis"}),
        snapshot=_service_columns("stage"),
    ),
    "service_cancel": Case(
        _service(Stage.PROMOTION),
        page=lambda s: post(_action("service_cancel")(s), {"reason": "El dueño viajó"}),
        api=lambda s: post(_api("cancel")(s), {"reason": "El dueño viajó"}),
        snapshot=_service_columns("stage", "cancel_reason"),
    ),
    "service_reopen": Case(
        _service(Stage.PROPOSAL),
        page=lambda s: post(_action("service_reopen")(s), {"to_stage": "diagnosis", "reason": "Faltó algo"}),
        api=lambda s: post(_api("reopen")(s), {"to_stage": "diagnosis", "reason": "Faltó algo"}),
        snapshot=_service_columns("stage"),
    ),
    "service_link_diagnosis": Case(
        _service(Stage.DIAGNOSIS),
        page=lambda s: post(_action("service_link_diagnosis")(s)),
        api=lambda s: post(_api("diagnosis")(s)),
        snapshot=_service_columns("diagnosis_id"),
    ),
    "service_assign_consultant": Case(
        _service(Stage.PROMOTION),
        page=lambda s: post(_action("service_assign")(s)),
        api=lambda s: post(_api("consultants")(s)),
        snapshot=lambda s: sorted(s.consultants.values_list("pk", flat=True)),
    ),
    "proposal_edit": Case(
        _service(Stage.PROPOSAL),
        page=lambda s: post(
            _action("budget_add")(s), {"kind": "materials", "description": "Moldes", "quantity": "2", "unit_cost": "15"}
        ),
        api=lambda s: post(
            _api("budget-lines")(s), {"kind": "materials", "description": "Moldes", "quantity": "2", "unit_cost": "15"}
        ),
        snapshot=_service_columns("total_cost", "owner_share"),
    ),
    "owner_decision_record": Case(
        _service(Stage.PROPOSAL),
        page=lambda s: post(_action("owner_decision")(s), {"accepted": "False"}),
        api=lambda s: post(_api("owner-decision")(s), {"accepted": False}),
        snapshot=_service_columns("owner_decision", "owner_decision_on"),
    ),
    "price_approve": Case(
        _service(Stage.PROPOSAL),
        page=lambda s: post(_action("approve_price")(s)),
        api=lambda s: post(_api("approve-price")(s)),
        snapshot=_service_columns("price_approved_at"),
    ),
    "plan_edit": Case(
        _service(Stage.ACTION_PLAN),
        page=lambda s: post(_action("activity_add")(s), {"description": ""}),
        api=lambda s: post(_api("activities")(s), {"description": ""}),
        snapshot=lambda s: s.activities.count(),
    ),
    "execution_record": Case(
        _service(Stage.EXECUTION),
        page=lambda s: post(_action("visit_add")(s), {"notes": ""}),
        api=lambda s: post(_api("visits")(s), {"notes": ""}),
        snapshot=lambda s: s.visits.count(),
    ),
    "evaluation_record": Case(
        _service(Stage.EVALUATION),
        page=lambda s: post(_action("evaluation_record")(s), {"satisfaction": "x"}),
        api=lambda s: post(_api("evaluation")(s), {"satisfaction": "x"}),
        snapshot=_service_columns("stage"),
    ),
}
