"""The funds pages: who may see and do what, another centre's record is a 404, lists run a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.tests.factories import CompanyFactory
from funds.models import AEO, BusinessPlan, Contest, InvestmentLine, Voucher
from funds.services import investment_line_add
from funds.tests.factories import aeo_with, chain, contest_in, voucher_for

pytestmark = pytest.mark.django_db

M = Decimal


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("funds:contest_list", lambda lima, i: contest_in(lima, name=f"Concurso {i}")),
        ("funds:voucher_list", lambda lima, i: voucher_for(CompanyFactory(centre=lima), f"BP-{i}")),
        ("funds:aeo_list", lambda lima, i: aeo_with(2, centre=lima)),
    ],
)
def test_lists_run_the_same_queries_with_more_rows_than_a_page(client_for, coordinator, lima, url_name, make):
    client = client_for(coordinator)
    make(lima, 0)
    few = _count(client, reverse(url_name))
    for i in range(1, 30):
        make(lima, i)
    assert _count(client, reverse(url_name)) == few


def test_another_centres_contest_and_plan_are_a_404(client_for, coordinator, huancayo, promoter_huancayo):
    contest = contest_in(huancayo)
    plan = BusinessPlan.objects.create(
        contest=contest, centre=huancayo, aeo=aeo_with(12, centre=huancayo), chain=chain(),
        category=contest.categories.get(code="A"), title="Plan de Huancayo",
    )  # fmt: skip
    client = client_for(coordinator)
    assert client.get(reverse("funds:contest_detail", args=[contest.pk])).status_code == 404
    assert client.get(reverse("funds:plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("funds:plan_submit", args=[plan.pk])).status_code == 404


def test_a_credit_officer_does_not_see_the_funds(client_for, credit_officer):
    assert client_for(credit_officer).get(reverse("funds:contest_list")).status_code == 403


def test_a_promoter_writes_a_plan_but_cannot_publish_a_call(client_for, promoter, lima):
    contest = contest_in(lima, status=Contest.Status.DRAFT)
    client = client_for(promoter)
    assert client.post(reverse("funds:contest_open", args=[contest.pk])).status_code == 403
    contest.refresh_from_db()
    assert contest.status == Contest.Status.DRAFT


def test_the_plan_page_names_each_failing_rule_in_spanish(client_for, promoter, lima):
    contest = contest_in(lima)
    aeo = aeo_with(9, centre=lima)
    plan = BusinessPlan.objects.create(
        contest=contest, centre=lima, aeo=aeo, chain=chain(), category=contest.categories.get(code="A"), title="Cacao"
    )
    for source, amount in (("public", "114000"), ("money", "6000"), ("in_kind", "30000")):
        investment_line_add(user=promoter, plan=plan, kind="goods", description=source, quantity=M(1),
                            unit_price=M(amount), source=source)  # fmt: skip

    page = client_for(promoter).get(reverse("funds:plan_detail", args=[plan.pk])).content.decode()

    assert "El AEO tiene 9 miembros; la categoría A exige al menos 10." in page
    assert "La contrapartida monetaria es 4 %; la categoría A exige al menos 5 %." in page


def test_a_submitted_plan_shows_no_form_to_add_lines(client_for, promoter, lima):
    contest = contest_in(lima)
    plan = BusinessPlan.objects.create(
        contest=contest, centre=lima, aeo=aeo_with(12, centre=lima), chain=chain(),
        category=contest.categories.get(code="A"), title="Cacao", status="submitted",
        submitted_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    client = client_for(promoter)
    page = client.get(reverse("funds:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("funds:plan_line_add", args=[plan.pk]) not in page
    client.post(reverse("funds:plan_line_add", args=[plan.pk]),
                {"line-kind": "goods", "line-description": "x", "line-quantity": "1", "line-unit_price": "5",
                 "line-source": "public"})  # fmt: skip
    assert not InvestmentLine.objects.filter(plan=plan).exists()


def test_registering_an_aeo_from_the_page(client_for, promoter, lima):
    response = client_for(promoter).post(
        reverse("funds:aeo_create"),
        {"centre": lima.pk, "kind": "legal", "name": "Cooperativa Agraria Cacaotera", "ruc": "20123456789",
         "district": "080901", "founded_on": "2015-01-10", "annual_sales": "300000"},
    )  # fmt: skip
    aeo = AEO.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("funds:aeo_detail", args=[aeo.pk])
    assert (aeo.kind, aeo.district.province, aeo.centre) == ("legal", "La Convención", lima)


def test_the_results_export_carries_the_rows_and_their_total(client_for, coordinator, lima):
    contest = contest_in(lima, status=Contest.Status.RESOLVED)
    for i, (public, jobs) in enumerate((("100000.00", 4), ("150000.50", 6))):
        BusinessPlan.objects.create(
            contest=contest, centre=lima, aeo=aeo_with(12, centre=lima), chain=chain(), status="winner",
            category=contest.categories.get(code="A"), title=f"P{i}", public_amount=M(public),
            counterpart_money=M("1000"), total_investment=M(public) + 1000, direct_jobs=jobs,
            submitted_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        )  # fmt: skip
    response = client_for(coordinator).get(reverse("funds:contest_results", args=[contest.pk]) + "?export=csv")
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[1].startswith("Cacao,La Convención,2,250000.50,2000.00,252000.50,10")
    assert lines[-1].startswith("Total,,2,250000.50,2000.00,252000.50,10")


def test_the_voucher_list_marks_an_available_voucher_that_expired(client_for, coordinator, lima):
    voucher_for(CompanyFactory(centre=lima), "OLD-1", valid_from=datetime.date(2020, 1, 1),
                valid_until=datetime.date(2021, 1, 1))  # fmt: skip
    page = client_for(coordinator).get(reverse("funds:voucher_list")).content.decode()
    assert "OLD-1" in page and "Vencido" in page
    assert Voucher.objects.get(code="OLD-1").status == "available"


def test_the_winners_resolution_prints_as_a_pdf_once_winners_are_declared(
    client_for, coordinator, lima, huancayo, django_capture_on_commit_callbacks
):
    from core.models import ReportJob

    contest = contest_in(lima, status=Contest.Status.EVALUATION)
    client = client_for(coordinator)
    assert client.post(reverse("report_request", args=["funds.resolution", contest.pk])).status_code == 404
    Contest.objects.filter(pk=contest.pk).update(status=Contest.Status.RESOLVED, resolution_number="R-1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_request", args=["funds.resolution", contest.pk]))
    assert response.status_code == 302
    job = ReportJob.objects.get(kind="funds.resolution")
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.file.read(4) == b"%PDF"
    other = contest_in(huancayo, status=Contest.Status.RESOLVED)
    assert client.post(reverse("report_request", args=["funds.resolution", other.pk])).status_code == 404


def test_a_coordinator_edits_a_categorys_rules_until_the_call_is_published(client_for, coordinator, lima):
    contest = contest_in(lima, status=Contest.Status.DRAFT)
    url = reverse("funds:category_edit", args=[contest.pk, "A"])
    form = client_for(coordinator).get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data["legal_person_only"] = ""
    response = client_for(coordinator).post(url, {**data, "min_members": 15})
    assert response.status_code == 302
    assert contest.categories.get(code="A").min_members == 15

    Contest.objects.filter(pk=contest.pk).update(status=Contest.Status.OPEN)
    client_for(coordinator).post(url, {**data, "min_members": 25})
    assert contest.categories.get(code="A").min_members == 15


def test_an_aeos_acta_that_is_not_a_real_scan_is_refused_by_the_page_and_the_service(client_for, promoter, lima):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.exceptions import DomainError
    from funds.services import aeo_create

    fields = {"centre": lima.pk, "kind": "natural", "name": "Asociación Cacao Sur", "district": "080901",
              "founded_on": "2015-01-10", "annual_sales": "300000"}  # fmt: skip
    renamed = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(promoter).post(reverse("funds:aeo_create"), {**fields, "minutes": renamed})
    assert response.status_code == 200 and not AEO.objects.exists()
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in response.content.decode()
    with pytest.raises(DomainError) as refused:
        aeo_create(
            user=promoter, centre=lima, kind="natural", name="Asociación Cacao Sur",
            minutes=SimpleUploadedFile("acta.html", b"<html><script>x</script></html>"),
        )  # fmt: skip
    assert refused.value.field == "minutes" and not AEO.objects.exists()


def test_a_new_contests_rules_start_their_history_with_who_prepared_it(coordinator, lima):
    from funds.services import contest_create

    contest = contest_create(
        user=coordinator, centre=lima, name="PROCOMPITE 2027", owner="GORE Cusco", year=2027, budget=M("500000"),
        call_on=datetime.date(2027, 3, 1), submissions_until=datetime.date(2027, 5, 1),
        evaluation_until=datetime.date(2027, 6, 1), results_on=datetime.date(2027, 6, 15), uit_value=M("5500"),
    )  # fmt: skip
    for rule in [*contest.categories.all(), *contest.criteria.all()]:
        first = rule.history.get()
        assert (first.history_type, first.history_user) == ("+", coordinator)
