"""The funds API runs a contest from the call to the winners through the same services as the pages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clients.tests.factories import CompanyFactory
from funds.models import BusinessPlan, Contest, Voucher
from funds.tests.factories import ProgrammeFactory, aeo_with, chain, contest_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user():
    def sign_in(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return sign_in


def test_a_contest_from_the_call_to_a_winner_through_the_api(as_user, coordinator, promoter, lima):
    api = as_user(coordinator)
    body = {
        "centre": lima.pk, "name": "PROCOMPITE Distrital 2026", "owner": "Municipalidad de Santa Ana", "year": 2026,
        "budget": "500000", "chains": [chain("Cacao").pk], "zones": "La Convención", "call_on": "2026-03-01",
        "submissions_until": "2026-12-31", "evaluation_until": "2027-01-31", "results_on": "2027-02-15",
        "committee": [coordinator.pk],
    }  # fmt: skip
    created = api.post(reverse("contest-list"), body, format="json")
    assert created.status_code == 201, created.json()
    contest = created.json()
    assert [c["code"] for c in contest["categories"]] == ["A", "B", "C"]
    assert contest["uit_value"] == "5500.00"  # the UIT of 2026, from the table of UIT values
    assert api.post(reverse("contest-open-call", args=[contest["id"]])).json()["status"] == "open"

    aeo = aeo_with(12, centre=lima)
    category_a = next(c["id"] for c in contest["categories"] if c["code"] == "A")
    plan = as_user(promoter).post(
        reverse("business-plan-list"),
        {"contest": contest["id"], "aeo": aeo.pk, "chain": chain("Cacao").pk, "category": category_a,
         "title": "Chocolate de taza", "direct_jobs": 6, "indirect_jobs": 20},
        format="json",
    ).json()  # fmt: skip
    for source, price in (("public", "100000"), ("money", "20000"), ("in_kind", "30000")):
        response = as_user(promoter).post(
            reverse("business-plan-lines", args=[plan["id"]]),
            {"kind": "goods", "description": source, "quantity": "1", "unit_price": price, "source": source},
            format="json",
        )
        assert response.status_code == 201, response.json()
    Contest.objects.filter(pk=contest["id"]).update(submissions_until="2099-12-31", evaluation_until="2099-12-31",
                                                    results_on="2099-12-31")  # fmt: skip
    submitted = as_user(promoter).post(reverse("business-plan-submit", args=[plan["id"]])).json()
    assert (submitted["status"], submitted["is_eligible"], submitted["problems"]) == ("submitted", True, [])

    assert api.post(reverse("contest-close", args=[contest["id"]])).json()["status"] == "evaluation"
    scores = [{"criterion": c["id"], "score": "80"} for c in contest["criteria"]]
    refused = as_user(promoter).post(reverse("business-plan-scores", args=[plan["id"]]), {"scores": scores},
                                     format="json")  # fmt: skip
    assert refused.status_code == 403  # not on the committee
    scored = api.post(reverse("business-plan-scores", args=[plan["id"]]), {"scores": scores}, format="json")
    assert scored.json()["weighted_score"] == "80.00"

    resolved = api.post(reverse("contest-winners", args=[contest["id"]]), {"resolution_number": "R-7"}, format="json")
    assert resolved.json()["status"] == "resolved"
    assert BusinessPlan.objects.get(pk=plan["id"]).status == "winner"
    results = api.get(reverse("contest-results", args=[contest["id"]])).json()
    assert results["rows"][0]["public"] == "100000.00" and results["totals"]["plans"] == 1


def test_a_refused_plan_line_is_a_400_with_the_message(as_user, promoter, lima):
    contest = contest_in(lima)
    plan = BusinessPlan.objects.create(contest=contest, centre=lima, aeo=aeo_with(12, centre=lima), chain=chain(),
                                       category=contest.categories.get(code="A"), title="x")  # fmt: skip
    response = as_user(promoter).post(
        reverse("business-plan-lines", args=[plan.pk]),
        {"kind": "goods", "description": " ", "quantity": "1", "unit_price": "5", "source": "public"},
        format="json",
    )
    assert response.status_code == 400


def test_another_centres_contest_is_a_404_in_the_api(as_user, coordinator, huancayo):
    contest = contest_in(huancayo)
    assert as_user(coordinator).get(reverse("contest-detail", args=[contest.pk])).status_code == 404


def test_issuing_a_voucher_through_the_api(as_user, coordinator, lima):
    programme = ProgrammeFactory(centre=lima)
    company = CompanyFactory(centre=lima)
    response = as_user(coordinator).post(
        reverse("voucher-list"),
        {"programme": programme.pk, "code": "bp-api-1", "holder_company": company.pk, "amount": "700",
         "valid_from": "2026-01-01", "valid_until": "2026-12-31"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert Voucher.objects.get().code == "BP-API-1"
