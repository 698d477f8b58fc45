"""Database constraints: what must never be false, even when a write skips the services."""

import datetime
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from clients.models import Company, Diagnosis, Entrepreneur, Need, ProblemNode, SizeRule, UitValue
from clients.tests.factories import (
    CompanyFactory,
    DiagnosisFactory,
    EntrepreneurFactory,
    NeedFactory,
    ProblemNodeFactory,
)

pytestmark = pytest.mark.django_db


# --- Company ------------------------------------------------------------------------------------


def test_the_database_refuses_negative_annual_sales():
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyFactory(annual_sales=Decimal("-0.01"))
    assert Company.objects.count() == 0


def test_the_database_accepts_zero_or_unknown_annual_sales():
    CompanyFactory(annual_sales=Decimal("0"))
    CompanyFactory(annual_sales=None, sales_year=None)
    assert Company.objects.count() == 2


@pytest.mark.parametrize("ruc", ["2010007097", "201000709701", "2010007097A", "30100070970", "20-00070970"])
def test_the_database_refuses_a_malformed_ruc(ruc):
    # PostgreSQL refuses an over-long value before the check constraint (DataError); SQLite at the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        CompanyFactory(ruc=ruc)
    assert Company.objects.count() == 0


def test_the_database_refuses_two_companies_with_the_same_ruc():
    CompanyFactory(ruc="20100070970")
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyFactory(ruc="20100070970")


def test_the_database_accepts_many_companies_without_ruc():
    CompanyFactory(ruc=None)
    CompanyFactory(ruc=None)
    assert Company.objects.filter(ruc__isnull=True).count() == 2


def test_the_workers_total_adds_permanent_and_temporary_workers_of_both_genders():
    company = CompanyFactory.build(permanent_men=2, permanent_women=3, temporary_men=1, temporary_women=4)
    assert company.workers_total == 10


def test_the_product_lines_are_one_per_line_ignoring_blank_lines():
    company = CompanyFactory.build(product_lines="Pan francés\n\n  Tortas  \nBizcochos\n")
    assert company.product_line_list == ["Pan francés", "Tortas", "Bizcochos"]


# --- Entrepreneur -------------------------------------------------------------------------------


@pytest.mark.parametrize("dni", ["1234567", "123456789", "1234567A"])
def test_the_database_refuses_a_malformed_dni(dni):
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        EntrepreneurFactory(dni=dni)
    assert Entrepreneur.objects.count() == 0


def test_the_database_refuses_two_people_with_the_same_dni():
    EntrepreneurFactory(dni="45678912")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntrepreneurFactory(dni="45678912")


def test_a_person_whose_company_is_deleted_becomes_a_protoenterprise():
    company = CompanyFactory()
    person = EntrepreneurFactory(centre=company.centre, company=company, relationship="owner")
    company.delete()
    person.refresh_from_db()
    assert person.is_protoenterprise is True


# --- Diagnosis and problem tree -------------------------------------------------------------------


def test_the_database_refuses_a_completed_diagnosis_without_its_completion_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        DiagnosisFactory(status=Diagnosis.Status.COMPLETED, completed_at=None)
    assert Diagnosis.objects.count() == 0


def test_the_database_accepts_a_completed_diagnosis_with_its_completion_date():
    DiagnosisFactory(status=Diagnosis.Status.COMPLETED, completed_at=timezone.now())
    assert Diagnosis.objects.filter(status="completed").count() == 1


def test_the_database_refuses_negative_monthly_sales_in_a_diagnosis():
    with pytest.raises(IntegrityError), transaction.atomic():
        DiagnosisFactory(monthly_sales=Decimal("-1"))


def test_the_database_refuses_two_central_problems_on_one_diagnosis():
    central = ProblemNodeFactory(kind="central")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProblemNodeFactory(diagnosis=central.diagnosis, kind="central", text="Otro problema central")
    assert ProblemNode.objects.filter(diagnosis=central.diagnosis, kind="central").count() == 1


def test_two_diagnoses_each_have_their_own_central_problem():
    ProblemNodeFactory(kind="central")
    ProblemNodeFactory(kind="central")
    assert ProblemNode.objects.filter(kind="central").count() == 2


@pytest.mark.parametrize("kind", ["cause", "effect"])
def test_the_database_refuses_a_cause_or_effect_without_parent(kind):
    diagnosis = DiagnosisFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProblemNodeFactory(diagnosis=diagnosis, kind=kind, parent=None)
    assert diagnosis.nodes.count() == 0


def test_the_database_refuses_a_central_problem_with_a_parent():
    other = ProblemNodeFactory(kind="central")
    diagnosis = DiagnosisFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProblemNodeFactory(diagnosis=diagnosis, kind="central", parent=other)


def test_deleting_a_diagnosis_deletes_its_tree():
    central = ProblemNodeFactory(kind="central")
    ProblemNodeFactory(diagnosis=central.diagnosis, kind="cause", parent=central, text="Horno viejo")
    central.diagnosis.delete()
    assert ProblemNode.objects.count() == 0


# --- Needs and reference data ---------------------------------------------------------------------


def test_the_database_refuses_a_need_without_company_or_person(lima):
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.create(centre=lima, need_type="training")


def test_the_database_refuses_two_needs_of_the_same_type_in_one_diagnosis():
    diagnosis = DiagnosisFactory()
    NeedFactory(company=diagnosis.company, diagnosis=diagnosis, need_type="credit")
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedFactory(company=diagnosis.company, diagnosis=diagnosis, need_type="credit")


def test_needs_of_the_same_type_outside_a_diagnosis_may_repeat():
    company = CompanyFactory()
    NeedFactory(company=company, need_type="credit", source="consultation")
    NeedFactory(company=company, need_type="credit", source="consultation")
    assert company.needs.count() == 2


def test_the_database_refuses_a_uit_of_zero():
    with pytest.raises(IntegrityError), transaction.atomic():
        UitValue.objects.filter(year=2026).update(amount=Decimal("0"))
    assert UitValue.objects.get(year=2026).amount == Decimal("5500")


def test_the_database_refuses_a_size_rule_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SizeRule.objects.create(
            law="Ley imaginaria",
            valid_from=datetime.date(2030, 1, 1),
            valid_to=datetime.date(2029, 12, 31),
            size_class="micro",
            rank=1,
        )
