"""Clients' rows of the page/API parity test (tests/test_policy_parity.py)."""

from django.urls import reverse

from clients.models import Company, Diagnosis, Entrepreneur
from clients.tests.factories import CompanyFactory, DiagnosisFactory, EntrepreneurFactory
from core.tests.parity import Case, get, post, row

# --- Clients ---------------------------------------------------------------------------------------


def _company(ctx):
    return CompanyFactory(centre=ctx["lima"], created_by=ctx["promoter"])


def _person(ctx):
    return EntrepreneurFactory(centre=ctx["lima"], company=None)


def _draft(ctx):
    return DiagnosisFactory(company=_company(ctx), promoter=ctx["promoter"])


CASES = {
    "company_view": Case(
        _company,
        page=lambda c: get(reverse("clients:company_detail", args=[c.pk])),
        api=lambda c: get(reverse("company-detail", args=[c.pk])),
    ),
    "company_create": Case(
        _company,
        page=lambda c: post(reverse("clients:company_create"), {"legal_name": "Nueva"}),
        api=lambda c: post(reverse("company-list"), {"legal_name": "Nueva"}),
        snapshot=lambda c: Company.objects.count(),
        on_object=False,
    ),
    "company_update": Case(
        _company,
        page=lambda c: post(reverse("clients:company_update", args=[c.pk]), {"legal_name": ""}),
        api=lambda c: ("patch", reverse("company-detail", args=[c.pk]), {"phone": "964111222"}),
        snapshot=row(Company, "legal_name", "phone"),
    ),
    "entrepreneur_view": Case(
        _person,
        page=lambda p: get(reverse("clients:entrepreneur_detail", args=[p.pk])),
        api=lambda p: get(reverse("entrepreneur-detail", args=[p.pk])),
    ),
    "entrepreneur_create": Case(
        _person,
        page=lambda p: post(reverse("clients:entrepreneur_create"), {"first_name": "Ana"}),
        api=lambda p: post(reverse("entrepreneur-list"), {"first_name": "Ana"}),
        snapshot=lambda p: Entrepreneur.objects.count(),
        on_object=False,
    ),
    "entrepreneur_update": Case(
        _person,
        page=lambda p: post(reverse("clients:entrepreneur_update", args=[p.pk]), {"first_name": ""}),
        api=lambda p: ("patch", reverse("entrepreneur-detail", args=[p.pk]), {"phone": "964111222"}),
        snapshot=row(Entrepreneur, "first_name", "phone"),
    ),
    "entrepreneur_data_export": Case(
        _person,
        page=lambda p: get(reverse("clients:entrepreneur_data_export", args=[p.pk])),
        api=lambda p: get(reverse("entrepreneur-personal-data", args=[p.pk])),
    ),
    "entrepreneur_anonymise": Case(
        _person,
        page=lambda p: post(reverse("clients:entrepreneur_anonymise", args=[p.pk])),
        api=lambda p: post(reverse("entrepreneur-anonymise", args=[p.pk])),
        snapshot=row(Entrepreneur, "first_name", "dni", "anonymised_at"),
    ),
    # History pages have no API: the auditors only (core.policy.AUDITORS and the record's view rule).
    "history_view": Case(_company, page=lambda c: get(reverse("clients:company_history", args=[c.pk]))),
    "diagnosis_view": Case(
        _draft,
        page=lambda d: get(reverse("clients:diagnosis_detail", args=[d.pk])),
        api=lambda d: get(reverse("diagnosis-detail", args=[d.pk])),
    ),
    "diagnosis_create": Case(
        _company,
        page=lambda c: post(reverse("clients:diagnosis_create", args=[c.pk]), {"date": "x"}),
        api=lambda c: post(reverse("diagnosis-list"), {"company": c.pk, "date": "x"}),
        snapshot=lambda c: Diagnosis.objects.count(),
        on_object=False,
    ),
    "diagnosis_update": Case(
        _draft,
        page=lambda d: post(reverse("clients:diagnosis_update", args=[d.pk]), {"date": "x"}),
        api=lambda d: ("patch", reverse("diagnosis-detail", args=[d.pk]), {"notes": "Visita de control"}),
        snapshot=row(Diagnosis, "date", "notes"),
    ),
    "diagnosis_complete": Case(
        _draft,
        page=lambda d: post(reverse("clients:diagnosis_complete", args=[d.pk])),
        api=lambda d: post(reverse("diagnosis-complete", args=[d.pk])),
        snapshot=row(Diagnosis, "status"),
        on_object=False,
    ),
    "problem_tree_edit": Case(
        _draft,
        page=lambda d: post(reverse("clients:node_add", args=[d.pk]), {"kind": "central", "text": "Baja venta"}),
        api=lambda d: post(reverse("diagnosis-nodes", args=[d.pk]), {"kind": "central", "text": "Baja venta"}),
        snapshot=lambda d: d.nodes.count(),
        on_object=False,
    ),
    "need_view": Case(
        _company,
        page=lambda c: get(reverse("clients:need_list")),
        api=lambda c: get(reverse("need-list")),
        on_object=False,
    ),
    "draft_diagnoses_view": Case(not_a_request="a home-page panel: core/tests/test_views.py shows it by role"),
    "size_classes_recompute": Case(not_a_request="an action of the Django admin (clients/tests/test_size_class.py)"),
    "need_record": Case(not_a_request="called by other apps' services on behalf of an action they allowed"),
    "need_answer": Case(not_a_request="called by other apps' services on behalf of an action they allowed"),
}
