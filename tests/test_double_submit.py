"""Double submits: every create form of the project is safe against a double click or a resent POST.

Each view that creates a record from a POST is in one of two tables:

* ``TOKEN_FORMS``: the form carries a one-time token (``{% submission_token %}``) and the view is
  ``@once_per_submission`` (``core.idempotency``). The test posts the same valid data twice with
  the same token: exactly one record is created, and the second POST is sent where the first went
  (or to the record it created), with a message saying so.
* ``NATURAL``: a unique constraint of the record itself refuses the second one, named here.

``test_every_create_view_is_in_a_table`` walks the URL resolver: a new view named ``*_create``,
``*_add``, ``*_new`` (or one of the create views with another name, listed in ``OTHER_CREATES``)
without a row fails there, as ``tests/test_access_matrix.py`` does for every URL.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.idempotency import FIELD

pytestmark = pytest.mark.django_db

ALREADY_SENT = "Este formulario ya se envió; no se registró dos veces."


@dataclass(frozen=True)
class Form:
    """``setup(ctx)`` -> (the user who posts, the URL's kwargs, a function giving fresh POST data);
    ``model``: the records counted ("app.Model")."""

    setup: object
    model: str


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


# --- Builders ------------------------------------------------------------------------------------


def _company(ctx):
    from clients.tests.factories import CompanyFactory

    return CompanyFactory(centre=ctx["lima"])


def company_create(ctx):
    from clients.tests.test_views import company_data

    # No RUC (an informal business): nothing but the token stops a second one.
    data = company_data(ruc="", ruc_status="none", is_formal="", legal_form="none")
    return ctx["promoter"], {}, lambda: dict(data)


def entrepreneur_create(ctx):
    data = {"first_name": "Julia", "last_name": "Mamani", "dni": "", "gender": "F", "data_consent": "True"}
    return ctx["front_desk"], {}, lambda: dict(data)


def diagnosis_create(ctx):
    from clients.tests.test_views import diagnosis_data

    company = _company(ctx)
    return ctx["promoter"], {"company_pk": company.pk}, lambda: diagnosis_data()


def node_add(ctx):
    from clients.tests.factories import DiagnosisFactory, ProblemNodeFactory

    diagnosis = DiagnosisFactory(company=_company(ctx), promoter=ctx["promoter"])
    central = ProblemNodeFactory(diagnosis=diagnosis)
    data = {"kind": "cause", "parent": central.pk, "text": "Horno sin termostato"}
    return ctx["promoter"], {"pk": diagnosis.pk}, lambda: dict(data)


def service_open(ctx):
    from assistance.tests.factories import service_type

    data = {"company": _company(ctx).pk, "service_type": service_type().pk, "area": "production", "title": "Pan"}
    return ctx["promoter"], {}, lambda: dict(data)


def _service(ctx, stage, ready=False):
    from assistance.tests.factories import build_service

    return build_service(
        stage, promoter=ctx["promoter"], coordinator=ctx["coordinator"], consultant_user=ctx["consultant"],
        centre=ctx["lima"], ready=ready,
    )  # fmt: skip


def improvement_add(ctx):
    service = _service(ctx, "proposal")
    data = {"improvement-problem": "Merma alta", "improvement-improvement": "Termostato",
            "improvement-expected_result": "Merma 5 %"}  # fmt: skip
    return ctx["promoter"], {"pk": service.pk}, lambda: dict(data)


def budget_add(ctx):
    service = _service(ctx, "proposal")
    data = {"budget-kind": "fees", "budget-description": "Honorarios", "budget-quantity": "10",
            "budget-unit_cost": "40"}  # fmt: skip
    return ctx["promoter"], {"pk": service.pk}, lambda: dict(data)


def funding_add(ctx):
    from assistance.services.proposal import budget_line_add

    service = _service(ctx, "proposal")
    budget_line_add(user=ctx["promoter"], service=service, kind="materials", description="Harina",
                    quantity=Decimal("10"), unit_cost=Decimal("40"))  # fmt: skip
    data = {"funding-kind": "cofinancing", "funding-description": "Municipalidad", "funding-amount": "10"}
    return ctx["promoter"], {"pk": service.pk}, lambda: dict(data)


def activity_add(ctx):
    service = _service(ctx, "action_plan")
    today = timezone.localdate()
    data = {"activity-description": "Calibrar el horno", "activity-responsible": "Consultora",
            "activity-planned_start": today.isoformat(),
            "activity-planned_end": (today + datetime.timedelta(days=7)).isoformat(),
            "activity-planned_hours": "4"}  # fmt: skip
    return ctx["coordinator"], {"pk": service.pk}, lambda: dict(data)


def indicator_add(ctx):
    service = _service(ctx, "action_plan", ready=True)
    data = {"indicator-improvement": service.improvements.first().pk, "indicator-name": "Ventas",
            "indicator-unit": "S/", "indicator-baseline": "100", "indicator-target": "150",
            "indicator-how_measured": "Libro de ventas"}  # fmt: skip
    return ctx["coordinator"], {"pk": service.pk}, lambda: dict(data)


def visit_add(ctx):
    service = _service(ctx, "execution")
    consultant = service.consultants.get()
    data = {"visit-consultant": consultant.pk, "visit-date": timezone.localdate().isoformat(),
            "visit-hours": "3", "visit-notes": "Calibramos el horno"}  # fmt: skip
    return ctx["consultant"], {"pk": service.pk}, lambda: dict(data)


def contest_create(ctx):
    from funds.tests.factories import chain

    data = {"centre": ctx["lima"].pk, "name": "PROCOMPITE 2026", "owner": "Municipalidad de Lima",
            "year": "2026", "budget": "1000000", "uit_value": "5350", "chains": [chain("Cacao").pk],
            "zones": "Lima", "call_on": "2026-01-05", "submissions_until": "2026-02-05",
            "evaluation_until": "2026-03-05", "results_on": "2026-03-20",
            "committee": [ctx["coordinator"].pk]}  # fmt: skip
    return ctx["coordinator"], {}, lambda: dict(data)


def plan_create(ctx):
    from funds.tests.factories import aeo_with, chain, contest_in

    contest = contest_in(ctx["lima"])
    data = {"aeo": aeo_with(12, centre=ctx["lima"]).pk, "chain": chain("Cacao").pk,
            "category": contest.categories.get(code="A").pk, "title": "Planta de cacao",
            "execution_days": "120", "direct_jobs": "3", "indirect_jobs": "5"}  # fmt: skip
    return ctx["promoter"], {"pk": contest.pk}, lambda: dict(data)


def _plan(ctx, status, contest_status):
    from funds.models import BusinessPlan
    from funds.tests.factories import aeo_with, chain, contest_in

    contest = contest_in(ctx["lima"], status=contest_status)
    return BusinessPlan.objects.create(
        contest=contest, centre=ctx["lima"], aeo=aeo_with(12, centre=ctx["lima"]), chain=chain("Cacao"),
        category=contest.categories.get(code="A"), title="Plan", status=status, is_eligible=True,
        submitted_at=None if status == "draft" else timezone.now(),
    )  # fmt: skip


def plan_line_add(ctx):
    plan = _plan(ctx, "draft", "open")
    data = {"line-kind": "goods", "line-description": "Tostadora", "line-quantity": "1", "line-unit_price": "5000",
            "line-source": "public"}  # fmt: skip
    return ctx["promoter"], {"pk": plan.pk}, lambda: dict(data)


def purchase_create(ctx):
    plan = _plan(ctx, "winner", "resolved")
    data = {"purchase-description": "Tostadora", "purchase-amount": "5000",
            "purchase-requirement_on": "2026-01-05", "purchase-planned_days": "100"}  # fmt: skip
    return ctx["coordinator"], {"pk": plan.pk}, lambda: dict(data)


def aeo_create(ctx):
    # An AEO's RUC is not unique (the same cooperative may run several AEOs): only the token stops a second one.
    data = {"centre": ctx["lima"].pk, "kind": "legal", "name": "Cooperativa Agraria Cacaotera", "ruc": "20123456789",
            "district": "080901", "founded_on": "2015-01-10", "annual_sales": "300000"}  # fmt: skip
    return ctx["promoter"], {}, lambda: dict(data)


def offering_create(ctx):
    from training.tests.factories import ModuleFactory

    module = ModuleFactory()
    data = {"centre": ctx["lima"].pk, "module": module.pk, "venue_kind": "centre", "venue": "Aula 1",
            "capacity": "20", "price": "0", "subsidy": "0"}  # fmt: skip
    return ctx["coordinator"], {}, lambda: dict(data)


def session_add(ctx):
    from training.tests.factories import build_offering

    offering = build_offering("planned", coordinator=ctx["coordinator"], centre=ctx["lima"])
    day = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    data = {"date": day, "start_time": "09:00", "end_time": "12:00", "topic": "Repaso"}
    return ctx["coordinator"], {"pk": offering.pk}, lambda: dict(data)


def consultation_create(ctx):
    from consultations.tests.factories import topic

    now = timezone.localtime()
    data = {"topic": topic().pk, "channel": "phone", "question": "¿Cómo saco el RUC?", "contact_name": "Ana",
            "started_at": (now - datetime.timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S")}  # fmt: skip
    return ctx["front_desk"], {}, lambda: dict(data)


def supplier_create(ctx):
    data = {"name": "Envases del Sur", "supplies": "Frascos de vidrio", "contact": "987654321",
            "source": "centre", "centre": ctx["lima"].pk, "is_active": "on"}  # fmt: skip
    return ctx["coordinator"], {}, lambda: dict(data)


def fact_sheet_create(ctx):
    def data():
        file = SimpleUploadedFile("digesa.pdf", b"%PDF-1.4 ficha", content_type="application/pdf")
        return {"title": "Registro sanitario DIGESA", "file": file, "is_active": "on"}

    return ctx["coordinator"], {}, data


def consultant_create(ctx):
    from consultants.tests.test_views import consultant_data

    return ctx["administrator"], {}, lambda: consultant_data(ctx["lima"])


def loan_apply(ctx):
    from credit.models import Purpose
    from credit.tests.factories import ProductFactory, borrower, funded_operator

    operator = funded_operator(ctx["huancayo"], officers=[ctx["credit_officer"]], admin=ctx["administrator"])
    product = ProductFactory(operator=operator)
    data = {"product": product.pk, "entrepreneur": borrower(ctx["huancayo"]).pk, "amount": "1000",
            "term_months": "6", "grace_months": "0", "purpose": Purpose.values[0], "guarantee": "",
            "applied_on": timezone.localdate().isoformat()}  # fmt: skip
    return ctx["credit_officer"], {}, lambda: dict(data)


def tranche_place(ctx):
    from credit.tests.factories import OperatorFactory

    operator = OperatorFactory(centre=ctx["lima"])
    data = {"tranche-date": "2024-01-02", "tranche-amount": "50000", "tranche-currency": "PEN", "tranche-note": ""}
    return ctx["administrator"], {"pk": operator.pk}, lambda: dict(data)


def document_upload(ctx):
    from consultants.tests.factories import PDF_BYTES, ConsultantFactory

    consultant = ConsultantFactory(centres=[ctx["lima"]])

    def data():
        file = SimpleUploadedFile("titulo.pdf", PDF_BYTES, content_type="application/pdf")
        return {"kind": "degree", "description": "Título profesional", "file": file}

    return ctx["administrator"], {"pk": consultant.pk}, data


TOKEN_FORMS = {
    "clients:company_create": Form(company_create, "clients.Company"),
    "clients:entrepreneur_create": Form(entrepreneur_create, "clients.Entrepreneur"),
    "clients:diagnosis_create": Form(diagnosis_create, "clients.Diagnosis"),
    "clients:node_add": Form(node_add, "clients.ProblemNode"),
    "assistance:service_open": Form(service_open, "assistance.Service"),
    "assistance:improvement_add": Form(improvement_add, "assistance.ImprovementItem"),
    "assistance:budget_add": Form(budget_add, "assistance.BudgetLine"),
    "assistance:funding_add": Form(funding_add, "assistance.FundingLine"),
    "assistance:activity_add": Form(activity_add, "assistance.Activity"),
    "assistance:indicator_add": Form(indicator_add, "assistance.Indicator"),
    "assistance:visit_add": Form(visit_add, "assistance.Visit"),
    "funds:contest_create": Form(contest_create, "funds.Contest"),
    "funds:plan_create": Form(plan_create, "funds.BusinessPlan"),
    "funds:plan_line_add": Form(plan_line_add, "funds.InvestmentLine"),
    "funds:purchase_create": Form(purchase_create, "funds.Purchase"),
    "funds:aeo_create": Form(aeo_create, "funds.AEO"),
    "training:offering_create": Form(offering_create, "training.Offering"),
    "training:session_add": Form(session_add, "training.Session"),
    "consultations:consultation_create": Form(consultation_create, "consultations.Consultation"),
    "consultations:supplier_create": Form(supplier_create, "consultations.Supplier"),
    "consultations:fact_sheet_create": Form(fact_sheet_create, "consultations.FactSheet"),
    "consultants:consultant_create": Form(consultant_create, "consultants.Consultant"),
    "credit:loan_apply": Form(loan_apply, "credit.Loan"),
    "credit:tranche_place": Form(tranche_place, "credit.Tranche"),
    "consultants:document_upload": Form(document_upload, "consultants.AccreditationDocument"),
}

# Forms whose first POST goes on elsewhere (the desk's fresh form): a resent one goes to the record.
RECORD_URL = {
    "consultations:consultation_create": lambda c: reverse("consultations:consultation_detail", args=[c.pk]),
}

# Safe without a token: the record's own unique constraint refuses a second one.
NATURAL = {
    "funds:voucher_issue": "Voucher.code is unique (the code printed on the voucher is typed in)",
    "funds:aeo_member_add": "one_member_per_dni_in_an_aeo (aeo, dni)",
    "training:module_create": "Module.name is unique (the network's catalogue)",
    "training:enrol": "one_live_enrolment_per_person_and_offering (offering, entrepreneur, not withdrawn)",
    "credit:repayment_post": "one_repayment_per_submission (loan, idempotency_key: the form's own key)",
    "credit:margin_record": "one_margin_payment_per_year (operator, year)",
}

# Views that create a record under another name than *_create / *_add / *_new.
OTHER_CREATES = {"assistance:service_open", "credit:loan_apply", "funds:voucher_issue", "training:enrol",
                 "credit:repayment_post", "credit:tranche_place", "credit:margin_record",
                 "consultants:document_upload"}  # fmt: skip

# Named like a create view but not one: what each does instead.
NOT_CREATES = {}


@pytest.fixture
def ctx(lima, huancayo, promoter, consultant, coordinator, national_manager, administrator, credit_officer, front_desk):
    return {
        "lima": lima, "huancayo": huancayo, "promoter": promoter, "consultant": consultant,
        "coordinator": coordinator, "national_manager": national_manager, "administrator": administrator,
        "credit_officer": credit_officer, "front_desk": front_desk,
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(TOKEN_FORMS))
def test_a_create_form_sent_twice_with_its_token_creates_one_record_and_leads_to_it(ctx, name):
    form = TOKEN_FORMS[name]
    model = _model(form.model)
    user, kwargs, data = form.setup(ctx)
    client = Client()
    client.force_login(user)
    url = reverse(name, kwargs=kwargs)
    before = model.objects.count()

    first = client.post(url, {**data(), FIELD: "same-form"})
    assert first.status_code == 302, f"the first POST was refused: {_errors(first)}"
    assert model.objects.count() == before + 1, f"nothing created: {_errors(first)}"
    second = client.post(url, {**data(), FIELD: "same-form"})

    assert model.objects.count() == before + 1, "the second POST created another record"
    assert second.status_code == 302
    expected = RECORD_URL[name](model.objects.order_by("-pk").first()) if name in RECORD_URL else first["Location"]
    assert second["Location"] == expected
    assert ALREADY_SENT in [str(m) for m in get_messages(second.wsgi_request)]


def _errors(response):
    context = response.context or {}
    form = context.get("form")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    return (form.errors if form is not None else "") or messages or response.status_code


def test_a_refused_create_does_not_use_the_token_and_the_corrected_form_goes_through(ctx):
    from clients.models import Diagnosis
    from clients.tests.test_views import diagnosis_data

    company = _company(ctx)
    client = Client()
    client.force_login(ctx["promoter"])
    url = reverse("clients:diagnosis_create", args=[company.pk])
    refused = client.post(url, {**diagnosis_data(date="2099-01-01"), FIELD: "corrected"})
    assert refused.status_code == 200 and Diagnosis.objects.count() == 0
    accepted = client.post(url, {**diagnosis_data(), FIELD: "corrected"})
    assert accepted.status_code == 302 and Diagnosis.objects.count() == 1


def test_two_forms_with_their_own_tokens_create_two_records(ctx):
    from clients.models import Diagnosis
    from clients.tests.test_views import diagnosis_data

    company = _company(ctx)
    client = Client()
    client.force_login(ctx["promoter"])
    url = reverse("clients:diagnosis_create", args=[company.pk])
    client.post(url, {**diagnosis_data(), FIELD: "first"})
    client.post(url, {**diagnosis_data(), FIELD: "second"})
    assert Diagnosis.objects.count() == 2


def test_the_create_page_hands_out_a_fresh_token_each_time(ctx):
    client = Client()
    client.force_login(ctx["promoter"])
    pages = [client.get(reverse("clients:company_create")).content.decode() for _ in range(2)]
    tokens = [page.split(f'name="{FIELD}" value="')[1].split('"')[0] for page in pages]
    assert all(len(t) >= 32 for t in tokens) and tokens[0] != tokens[1]


def test_an_htmx_form_sent_twice_sends_the_page_to_the_record(ctx):
    from clients.models import ProblemNode

    user, kwargs, data = node_add(ctx)
    client = Client()
    client.force_login(user)
    url = reverse("clients:node_add", kwargs=kwargs)
    client.post(url, {**data(), FIELD: "htmx"}, HTTP_HX_REQUEST="true")
    second = client.post(url, {**data(), FIELD: "htmx"}, HTTP_HX_REQUEST="true")
    assert ProblemNode.objects.filter(kind="cause").count() == 1
    assert second["HX-Redirect"] == reverse("clients:diagnosis_detail", args=[kwargs["pk"]])


def test_old_tokens_are_purged_by_the_daily_task(ctx):
    from core.models import SubmissionToken
    from core.tasks import purge_submission_tokens

    old = SubmissionToken.objects.create(token="old", user=ctx["promoter"], view="x", url="/")
    SubmissionToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    SubmissionToken.objects.create(token="new", user=ctx["promoter"], view="x", url="/")
    assert purge_submission_tokens() == 1
    assert list(SubmissionToken.objects.values_list("token", flat=True)) == ["new"]


# --- Every create view has a row -----------------------------------------------------------------


def _names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def _looks_like_a_create(name: str) -> bool:
    if ":" not in name or name.startswith("admin:"):
        return False  # the API's router names (company-list) and the Django admin's are not page forms
    return name.rsplit(":", 1)[1].endswith(("_create", "_add", "_new")) or name in OTHER_CREATES


def test_every_create_view_is_in_a_table():
    creates = {name for name, _view in _names() if _looks_like_a_create(name)}
    rows = set(TOKEN_FORMS) | set(NATURAL) | set(NOT_CREATES)
    assert creates - rows == set(), "create views without a row: say how each is safe against a double submit"
    assert rows - creates == set(), "rows for views that no longer exist"


def test_the_token_forms_are_guarded_and_the_natural_ones_are_not():
    views = dict(_names())
    for name in TOKEN_FORMS:
        assert _guarded(views[name]), f"{name} is not @once_per_submission"


def _guarded(view) -> bool:
    while view is not None:
        if getattr(view, "once_per_submission", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


# --- The API: an Idempotency-Key header ----------------------------------------------------------


def _api(user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_api_create_resent_with_its_idempotency_key_answers_the_first_record(ctx):
    from clients.models import Company
    from clients.tests.test_api import company_payload

    api = _api(ctx["front_desk"])
    payload = company_payload(ruc="", ruc_status="none", is_formal=False, legal_form="none")
    first = api.post(reverse("company-list"), payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post(reverse("company-list"), payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.json()
    assert second.status_code == 200 and second["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"] and Company.objects.count() == 1
    another = {**payload, "legal_name": "Panadería San Jorge"}  # (a similar name would ask for confirmation)
    third = api.post(reverse("company-list"), another, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert third.status_code == 201 and Company.objects.count() == 2


def test_an_api_create_of_a_viewset_with_its_own_create_is_kept_once_per_key(ctx):
    from funds.models import Contest
    from funds.tests.factories import chain

    body = {
        "centre": ctx["lima"].pk, "name": "PROCOMPITE 2026", "owner": "Municipalidad", "year": 2026,
        "budget": "500000", "chains": [chain("Cacao").pk], "zones": "Lima", "call_on": "2026-03-01",
        "submissions_until": "2026-12-31", "evaluation_until": "2027-01-31", "results_on": "2027-02-15",
        "committee": [ctx["coordinator"].pk],
    }  # fmt: skip
    api = _api(ctx["coordinator"])
    refused = api.post(reverse("contest-list"), {**body, "name": ""}, format="json", HTTP_IDEMPOTENCY_KEY="c")
    assert refused.status_code == 400  # a refused create leaves the key free
    first = api.post(reverse("contest-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="c")
    second = api.post(reverse("contest-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="c")
    assert (first.status_code, second.status_code) == (201, 200)
    assert Contest.objects.count() == 1 and second.json()["id"] == first.json()["id"]


def test_another_users_idempotency_key_is_their_own(ctx):
    from clients.models import Company
    from clients.tests.test_api import company_payload

    payload = company_payload(ruc="", ruc_status="none", is_formal=False, legal_form="none")
    for user, name in ((ctx["front_desk"], "Lácteos El Mantaro"), (ctx["promoter"], "Panadería San Jorge")):
        body = {**payload, "legal_name": name}
        response = _api(user).post(reverse("company-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="same")
        assert response.status_code == 201
    assert Company.objects.count() == 2
