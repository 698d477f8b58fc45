"""Training's rows of the page/API parity test (tests/test_policy_parity.py)."""

from django.urls import reverse

from core.tests.factories import UserFactory
from core.tests.parity import Case, get, post, row
from training.models import Enrolment, FollowUp, Module, Offering
from training.tests.factories import ModuleFactory, build_offering, person


def _coordinator(ctx):
    return UserFactory(roles=["coordinator"], centres=[ctx["lima"]])


def _module(ctx):
    return ModuleFactory()


def _open(ctx):
    return build_offering("open", coordinator=_coordinator(ctx), centre=ctx["lima"])


def _running_with_one(ctx):
    """A running course with one participant (the parity consultant does not teach it)."""
    from training import services

    coordinator = _coordinator(ctx)
    offering = build_offering("running", coordinator=coordinator, centre=ctx["lima"], start_in=-1)
    services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(ctx["lima"]))
    return offering


def _followup(ctx):
    """The follow-up of a participant of a finished course (the requests leave out the date: nothing saved)."""
    from training import services

    offering = _running_with_one(ctx)
    services.offering_set_status(user=_coordinator(ctx), offering=offering, status="finished")
    return FollowUp.objects.get(enrolment__offering=offering)


def _first(offering):
    return offering.enrolments.get()


def _seated(ctx):
    offering = _open(ctx)
    from training import services

    return services.enrolment_create(user=_coordinator(ctx), offering=offering, entrepreneur=person(ctx["lima"]))


def _marks(offering):
    enrolment = _first(offering)
    return {f"att-{enrolment.pk}-{session.pk}": "on" for session in offering.sessions.all()}


def _api_marks(offering):
    enrolment = _first(offering)
    return {"marks": [{"enrolment": enrolment.pk, "session": s.pk, "present": True} for s in offering.sessions.all()]}


CASES = {
    "module_view": Case(
        _module,
        page=lambda m: get(reverse("training:module_detail", args=[m.pk])),
        api=lambda m: get(reverse("module-detail", args=[m.pk])),
    ),
    "module_manage": Case(
        _module,
        page=lambda m: post(reverse("training:module_create"), {"name": "", "hours": 0}),
        api=lambda m: post(reverse("module-list"), {"name": "Curso nuevo de la API", "hours": 8}),
        snapshot=lambda m: Module.objects.count(),
        on_object=False,
    ),
    # History pages have no API: the auditors only (core.policy.AUDITORS and the record's view rule).
    "history_view": Case(_open, page=lambda o: get(reverse("training:offering_history", args=[o.pk]))),
    "offering_view": Case(
        _open,
        page=lambda o: get(reverse("training:offering_detail", args=[o.pk])),
        api=lambda o: get(reverse("offering-detail", args=[o.pk])),
    ),
    "offering_manage": Case(
        _open,
        page=lambda o: post(reverse("training:offering_status", args=[o.pk]), {"status": "running"}),
        api=lambda o: post(reverse("offering-status", args=[o.pk]), {"status": "running"}),
        snapshot=row(Offering, "status"),
    ),
    "enrolment_create": Case(
        _open,
        page=lambda o: post(reverse("training:enrol", args=[o.pk]), {"entrepreneur": person(o.centre).pk}),
        api=lambda o: post(reverse("enrolment-list"), {"offering": o.pk, "entrepreneur": person(o.centre).pk}),
        snapshot=lambda o: o.enrolments.count(),
        on_object=False,
    ),
    "enrolment_withdraw": Case(
        _seated,
        page=lambda e: post(reverse("training:withdraw", args=[e.pk])),
        api=lambda e: post(reverse("enrolment-withdraw", args=[e.pk])),
        snapshot=row(Enrolment, "status"),
        on_object=False,
    ),
    "attendance_record": Case(
        _running_with_one,
        page=lambda o: post(reverse("training:attendance", args=[o.pk]), _marks(o)),
        api=lambda o: post(reverse("offering-attendance", args=[o.pk]), _api_marks(o)),
        snapshot=lambda o: _first(o).attendances.count(),
    ),
    "scores_record": Case(
        _running_with_one,
        page=lambda o: post(reverse("training:scores", args=[o.pk]), {f"entry-{_first(o).pk}": "9"}),
        api=lambda o: post(
            reverse("offering-scores", args=[o.pk]), {"scores": [{"enrolment": _first(o).pk, "entry_score": "9"}]}
        ),
        snapshot=lambda o: _first(o).entry_score,
    ),
    "followup_view": Case(
        _module,
        page=lambda m: get(reverse("training:followup_list")),
        on_object=False,
    ),
    "followup_record": Case(
        _followup,
        page=lambda f: post(reverse("training:followup_record", args=[f.pk]), {"result": "applied"}),
        api=lambda f: post(reverse("enrolment-follow-up", args=[f.enrolment_id]), {"result": "applied"}),
        snapshot=row(FollowUp, "result"),
        on_object=False,
    ),
    "demand_view": Case(_module, page=lambda m: get(reverse("training:demand")), on_object=False),
}
