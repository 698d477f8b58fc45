"""Audit: every domain model keeps its history, and each record's page leads to who changed what and when."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from assistance.tests.factories import ServiceFactory
from clients.tests.factories import CompanyFactory, DiagnosisFactory, EntrepreneurFactory
from consultants.tests.factories import ConsultantFactory
from consultations.tests.factories import ConsultationFactory, FactSheetFactory
from core.roles import Role
from core.tests.factories import UserFactory
from credit.tests.factories import ProductFactory, applied_loan, funded_operator
from training.tests.factories import ModuleFactory, build_offering

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"core", "clients", "consultants", "assistance", "training", "consultations", "credit", "funds"}

# Models without their own history, each with the reason.
WITHOUT_HISTORY = {
    "credit.LedgerEntry": "append-only: the database refuses updates and deletes; the ledger is the fund's history",
    "credit.Allocation": "written once with its repayment and never changed; the repayment's history names who",
    "credit.ArrearsSnapshot": "computed each month from the schedule and the ledger by a task, never edited",
    "assistance.StageChange": "an append-only log: it is the service's stage history (who, when, why)",
    "core.ReportJob": "a PDF rendering job, not a record: who asked and when are its own columns",
    "core.SubmissionToken": "a create form's one-time token (core.idempotency), purged after a week",
    "core.Notification": "a reminder to one user from the daily scan: when read or e-mailed are its own columns",
}


def _tracked(model) -> bool:
    return any(
        getattr(getattr(model, name, None), "model", None) is not None
        and getattr(model, name).model.__name__ == f"Historical{model.__name__}"
        for name in ("history",)
    )


def test_every_domain_model_keeps_its_history_or_says_why_not():
    untracked = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS and not model.__name__.startswith("Historical") and not _tracked(model)
    }
    assert untracked == set(WITHOUT_HISTORY)


def _coordinator_of(centre):
    return UserFactory(username=f"coord-{centre.pk}", roles=[Role.COORDINATOR], centres=[centre])


def _loan(ctx):
    officer = UserFactory(username="officer", roles=[Role.CREDIT_OFFICER], centres=[ctx["huancayo"]])
    operator = funded_operator(ctx["huancayo"], officers=[officer])
    return applied_loan(ProductFactory(operator=operator), officer)


# record, its page, its history page, a field to change, the centre it belongs to
RECORDS = {
    "company": (lambda c: CompanyFactory(centre=c["lima"]), "clients:company_detail", "clients:company_history",
                "trade_name", "lima"),
    "person": (lambda c: EntrepreneurFactory(centre=c["lima"]), "clients:entrepreneur_detail",
               "clients:entrepreneur_history", "phone", "lima"),
    "diagnosis": (lambda c: DiagnosisFactory(company=CompanyFactory(centre=c["lima"])), "clients:diagnosis_detail",
                  "clients:diagnosis_history", "notes", "lima"),
    "service": (lambda c: ServiceFactory(company=CompanyFactory(centre=c["lima"])), "assistance:service_detail",
                "assistance:service_history", "title", "lima"),
    "consultant": (lambda c: ConsultantFactory(centres=[c["lima"]]), "consultants:consultant_detail",
                   "consultants:consultant_history", "phone", "lima"),
    "consultation": (lambda c: ConsultationFactory(centre=c["lima"]), "consultations:consultation_detail",
                     "consultations:consultation_history", "answer", "lima"),
    "fact sheet": (lambda c: FactSheetFactory(centre=c["lima"]), "consultations:fact_sheet_detail",
                   "consultations:fact_sheet_history", "title", "lima"),
    "module": (lambda c: ModuleFactory(), "training:module_detail", "training:module_history", "audience", "lima"),
    "course": (lambda c: build_offering("planned", coordinator=c["coordinator"], centre=c["lima"]),
               "training:offering_detail", "training:offering_history", "venue", "lima"),
    "loan": (_loan, "credit:loan_detail", "credit:loan_history", "guarantee", "huancayo"),
    "fund": (lambda c: funded_operator(c["huancayo"]), "credit:fund_statement", "credit:operator_history", "name",
             "huancayo"),
}  # fmt: skip


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
@pytest.mark.parametrize("kind", list(RECORDS))
def test_each_records_page_links_to_a_history_of_who_changed_what(kind, role, lima, huancayo, coordinator):
    setup, detail, history, field, centre = RECORDS[kind]
    ctx = {"lima": lima, "huancayo": huancayo, "coordinator": coordinator}
    record = setup(ctx)
    editor = UserFactory(username="editora", first_name="Rosa", last_name="Editora")
    setattr(record, field, "Cambiado por Rosa")
    record._history_user = editor
    record.save()

    home = ctx[centre]
    reader = (
        _coordinator_of(home)
        if role == "coordinator"
        else UserFactory(username="admin2", roles=[Role.ADMINISTRATOR], centres=[home])
    )
    client = Client()
    client.force_login(reader)
    page = client.get(reverse(detail, args=[record.pk]))
    assert page.status_code == 200
    history_url = reverse(history, args=[record.pk])
    assert f'href="{history_url}"' in page.content.decode()
    body = client.get(history_url).content.decode()
    assert "Rosa Editora" in body or "editora" in body
    assert "Cambiado por Rosa" in body


def test_a_history_page_of_another_centres_record_answers_404(lima, huancayo):
    sheet = FactSheetFactory(centre=lima)
    operator = funded_operator(huancayo)
    outsider = Client()
    outsider.force_login(_coordinator_of(huancayo))
    assert outsider.get(reverse("consultations:fact_sheet_history", args=[sheet.pk])).status_code == 404
    lima_reader = Client()
    lima_reader.force_login(_coordinator_of(lima))
    assert lima_reader.get(reverse("credit:operator_history", args=[operator.pk])).status_code == 404


def test_the_schedule_of_a_disbursed_loan_is_in_the_history_with_who_fixed_it(huancayo, administrator):
    from credit.models import Instalment
    from credit.tests.factories import disbursed_loan

    officer = UserFactory(username="officer", roles=[Role.CREDIT_OFFICER], centres=[huancayo])
    operator = funded_operator(huancayo, officers=[officer])
    loan = disbursed_loan(ProductFactory(operator=operator), officer)
    created = Instalment.history.filter(loan_id=loan.pk, history_type="+")
    assert created.count() == loan.instalments.count() > 0
    assert {h.history_user for h in created} == {officer}


READERS_WHO_DO_NOT_AUDIT = [Role.PROMOTER, Role.CONSULTANT, Role.FRONT_DESK, Role.CREDIT_OFFICER]


@pytest.mark.parametrize("role", READERS_WHO_DO_NOT_AUDIT)
@pytest.mark.parametrize("kind", list(RECORDS))
def test_who_does_not_audit_gets_403_on_a_history_page_and_no_link(kind, role, lima, huancayo, coordinator):
    setup, detail, history, _field, centre = RECORDS[kind]
    record = setup({"lima": lima, "huancayo": huancayo, "coordinator": coordinator})
    reader = UserFactory(username=f"reader-{role}", roles=[role], centres=[lima, huancayo])
    client = Client()
    client.force_login(reader)
    history_url = reverse(history, args=[record.pk])
    assert client.get(history_url).status_code == 403
    page = client.get(reverse(detail, args=[record.pk]))
    if page.status_code == 200:  # a role that reads the record (not every one does) sees no link to its history
        assert history_url not in page.content.decode()


@pytest.mark.parametrize("kind", [k for k in RECORDS if k != "module"])  # the module catalogue is the network's
def test_a_coordinator_of_another_centre_gets_404_on_a_history_page(kind, lima, huancayo, coordinator):
    setup, _detail, history, _field, centre = RECORDS[kind]
    record = setup({"lima": lima, "huancayo": huancayo, "coordinator": coordinator})
    other = huancayo if centre == "lima" else lima
    client = Client()
    client.force_login(_coordinator_of(other))
    assert client.get(reverse(history, args=[record.pk])).status_code == 404


def test_the_national_manager_reads_every_centres_history(lima, huancayo, coordinator):
    client = Client()
    client.force_login(UserFactory(username="gerente2", roles=[Role.NATIONAL_MANAGER], centres=[lima]))
    operator = funded_operator(huancayo)
    response = client.get(reverse("credit:operator_history", args=[operator.pk]))
    assert response.status_code == 200 and response.context["object"] == operator


def test_the_auditors_rule_keeps_the_view_rules_object_rule():
    from core.policy import AUDITORS, Rule

    rule = AUDITORS & Rule({Role.COORDINATOR, Role.CREDIT_OFFICER}, on_object=lambda user, obj: obj == "mine")
    assert rule.roles == {Role.COORDINATOR}
    assert rule.on_object(None, "mine") and not rule.on_object(None, "theirs")
