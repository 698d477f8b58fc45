"""The client registry's demo data: realistic, idempotent, and able to scale to N companies."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from stdnum.pe import ruc as stdnum_ruc

from clients import services
from clients.demo import COMPANIES, DIAGNOSES, PROTOENTERPRISES
from clients.models import Company, Diagnosis, Entrepreneur, Need, ProblemNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(settings):
    settings.DEBUG = True  # seed_demo refuses to run without it

    def run(**options):
        call_command("seed_demo", stdout=StringIO(), no_history=True, **options)  # monitoring tests the history

    return run


def _counts():
    return {
        "companies": Company.objects.count(),
        "people": Entrepreneur.objects.count(),
        "diagnoses": Diagnosis.objects.count(),
        "completed": Diagnosis.objects.filter(status=Diagnosis.Status.COMPLETED).count(),
        "nodes": ProblemNode.objects.count(),
        "needs": Need.objects.count(),
    }


def test_running_seed_demo_twice_adds_no_company_person_or_diagnosis(seed):
    seed()
    first = _counts()
    seed()
    assert _counts() == first
    assert first["companies"] == len(COMPANIES)
    assert first["diagnoses"] == len(DIAGNOSES)
    assert first["completed"] >= 3
    assert Entrepreneur.objects.filter(company__isnull=True).count() == len(PROTOENTERPRISES)


def test_the_realistic_set_fills_both_centres_with_bakeries_first(seed):
    seed()
    by_centre = Counter(Company.objects.values_list("centre__name", flat=True))
    assert by_centre["CentroPyME Lima"] >= 15
    assert by_centre["CentroPyME Huancayo"] >= 15
    lima_codes = set(Company.objects.filter(centre__name="CentroPyME Lima").values_list("district__code", flat=True))
    huancayo_codes = set(
        Company.objects.filter(centre__name="CentroPyME Huancayo").values_list("district__code", flat=True)
    )
    assert all(code.startswith("1501") for code in lima_codes)
    assert all(code.startswith("1201") for code in huancayo_codes)
    subsectors = Counter(Company.objects.values_list("subsector__name", flat=True)).most_common()
    assert subsectors[0][0] == "Panificación y pastelería"
    assert Company.objects.filter(ruc__isnull=True).exists()
    assert Company.objects.exclude(sanitary_registration_number="").exists()
    assert {"micro", "small", "medium"} <= set(Company.objects.values_list("size_class", flat=True))


def test_diagnoses_are_signed_by_the_lima_promoter_and_completed_ones_have_a_whole_tree(seed):
    seed()
    assert set(Diagnosis.objects.values_list("promoter__username", "centre__name")) == {("promotor", "CentroPyME Lima")}
    for diagnosis in Diagnosis.objects.filter(status=Diagnosis.Status.COMPLETED):
        kinds = set(diagnosis.nodes.values_list("kind", flat=True))
        assert kinds == {"central", "cause", "effect"}
        assert diagnosis.needs.exists()


def test_companies_option_tops_up_to_exactly_n_and_never_beyond(seed):
    seed(companies=300)
    assert Company.objects.count() == 300
    after_first = _counts()
    seed(companies=300)
    assert _counts() == after_first
    seed(companies=100)
    assert Company.objects.count() == 300


def test_generated_companies_fill_both_centres_with_owners_and_needs(seed):
    seed(companies=600)
    generated = Company.objects.exclude(legal_name__in=[c.legal_name for c in COMPANIES])
    by_centre = Counter(generated.values_list("centre__name", flat=True))
    assert by_centre["CentroPyME Lima"] > 100
    assert by_centre["CentroPyME Huancayo"] > 100
    assert Entrepreneur.objects.filter(company__in=generated).count() > 150
    assert Need.objects.filter(company__in=generated, status=Need.Status.OPEN).count() > 50
    # People are registered in their company's centre.
    assert not Entrepreneur.objects.filter(company__isnull=False).exclude(centre=F("company__centre")).exists()
    assert len(set(generated.values_list("district", flat=True))) > 30


def test_every_company_has_a_valid_ruc_or_none(seed):
    seed(companies=500)
    rucs = list(Company.objects.exclude(ruc__isnull=True).values_list("ruc", flat=True))
    assert len(rucs) > 100
    assert all(stdnum_ruc.is_valid(ruc) for ruc in rucs)
    assert Company.objects.filter(ruc__isnull=True).count() > 100


def test_generated_companies_carry_the_size_class_and_name_key_the_services_would_give(seed):
    seed(companies=400)
    for company in Company.objects.order_by("?")[:60]:
        expected = services.size_class_for(
            workers=company.workers_total, annual_sales=company.annual_sales, sales_year=company.sales_year
        )
        assert company.size_class == expected, company
        assert company.name_key == services.name_key(company.legal_name)
