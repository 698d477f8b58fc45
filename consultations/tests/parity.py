"""Consultations' rows of the page/API parity test (tests/test_policy_parity.py)."""

from django.urls import reverse

from consultations.models import Consultation, Supplier
from consultations.tests.factories import ConsultationFactory, SupplierFactory, topic
from core.tests.parity import Case, get, post, row


def _consultation(ctx):
    return ConsultationFactory(centre=ctx["lima"], recorded_by=ctx["front_desk"])


def _supplier(ctx):
    return SupplierFactory(centre=ctx["lima"])


def _network_supplier(ctx):
    return SupplierFactory(centre=None, source="ipenbal")


def _new(c):
    return {"topic": topic().pk, "channel": "phone", "question": "¿Cómo saco el RUC?", "contact_name": "Ana"}


CASES = {
    # History pages have no API: the auditors only (core.policy.AUDITORS and the record's view rule).
    "history_view": Case(_consultation, page=lambda c: get(reverse("consultations:consultation_history", args=[c.pk]))),
    "consultation_view": Case(
        _consultation,
        page=lambda c: get(reverse("consultations:consultation_detail", args=[c.pk])),
        api=lambda c: get(reverse("consultation-detail", args=[c.pk])),
    ),
    "consultation_create": Case(
        _consultation,
        page=lambda c: post(reverse("consultations:consultation_create"), _new(c)),
        api=lambda c: post(reverse("consultation-list"), {**_new(c), "started_at": c.started_at.isoformat()}),
        snapshot=lambda c: Consultation.objects.count(),
        on_object=False,
    ),
    "consultation_complete_contact": Case(
        _consultation,
        page=lambda c: post(reverse("consultations:consultation_complete_contact", args=[c.pk]), {"first_name": ""}),
        snapshot=row(Consultation, "entrepreneur", "company"),
    ),
    "client_search": Case(
        _consultation,
        page=lambda c: get(reverse("consultations:client_search") + "?q=Santa"),
        on_object=False,
    ),
    "desk_panel_view": Case(not_a_request="a home-page panel: consultations/tests/test_views.py shows it"),
    "conversion_view": Case(
        _consultation, page=lambda c: get(reverse("consultations:conversion_report")), on_object=False
    ),
    "library_view": Case(
        _network_supplier,
        page=lambda s: get(reverse("consultations:supplier_list")),
        api=lambda s: get(reverse("supplier-detail", args=[s.pk])),
    ),
    "library_edit": Case(
        _supplier,
        page=lambda s: post(reverse("consultations:supplier_update", args=[s.pk]), {"name": ""}),
        snapshot=row(Supplier, "name", "supplies"),
    ),
}
