"""Size class of a company under the law in force for the year of its figures.

Ley 28015 (to 2 July 2013): micro = up to 10 workers AND sales up to 150 UIT;
small = up to 50 workers AND sales up to 850 UIT. Ley 30056 (from 3 July 2013):
sales only; micro up to 150 UIT, small up to 1,700, medium up to 2,300.
The UIT values and the rules come from the reference data loaded by migration.
"""

import datetime
from decimal import Decimal

import pytest

from clients.models import Company, SizeRule, UitValue
from clients.services import (
    companies_recompute_size_class,
    company_create,
    size_class_for,
    size_reference_date,
    uit_for_year,
)
from clients.tests.factories import CompanyFactory, company_fields

pytestmark = pytest.mark.django_db

UIT_2002 = Decimal("3100")
UIT_2012 = Decimal("3650")
UIT_2013 = Decimal("3700")
UIT_2014 = Decimal("3800")
UIT_2026 = Decimal("5500")
CENT = Decimal("0.01")


def size(workers: int, sales: Decimal | None, year: int | None) -> str:
    return size_class_for(workers=workers, annual_sales=sales, sales_year=year)


# --- The reference data the rules stand on ------------------------------------------------


def test_the_uit_table_holds_the_official_values_of_2002_and_2026():
    assert uit_for_year(2002) == UIT_2002
    assert uit_for_year(2026) == UIT_2026
    assert UitValue.objects.get(year=2026).legal_basis == "D.S. 301-2025-EF"


def test_the_sales_of_a_year_are_measured_on_the_31st_of_december_of_that_year():
    assert size_reference_date(2013) == datetime.date(2013, 12, 31)


# --- Ley 28015, figures of 2002 (UIT S/ 3,100) ----------------------------------------------


def test_a_company_with_10_workers_and_150_uit_of_sales_in_2002_is_micro():
    assert size(10, 150 * UIT_2002, 2002) == "micro"


def test_a_company_with_11_workers_and_small_sales_in_2002_is_small():
    assert size(11, 100 * UIT_2002, 2002) == "small"


def test_a_company_with_1_worker_and_no_sales_in_2002_is_micro():
    assert size(1, Decimal("0"), 2002) == "micro"


def test_a_company_with_exactly_150_uit_of_sales_in_2002_is_micro():
    assert Decimal("465000") == 150 * UIT_2002
    assert size(5, Decimal("465000.00"), 2002) == "micro"


def test_a_company_with_one_cent_over_150_uit_of_sales_in_2002_is_small():
    assert size(5, Decimal("465000.01"), 2002) == "small"


def test_a_company_with_few_workers_but_sales_over_150_uit_in_2002_is_small():
    """Both conditions must hold for micro: 3 workers do not make it micro with 200 UIT of sales."""
    assert size(3, 200 * UIT_2002, 2002) == "small"


def test_a_company_with_exactly_850_uit_of_sales_in_2002_is_small():
    assert Decimal("2635000") == 850 * UIT_2002
    assert size(20, Decimal("2635000.00"), 2002) == "small"


def test_a_company_with_one_cent_over_850_uit_of_sales_in_2002_is_outside_the_regime():
    assert size(20, Decimal("2635000.01"), 2002) == "outside"


def test_a_company_with_one_worker_and_sales_over_850_uit_in_2002_is_outside_the_regime():
    assert size(1, 900 * UIT_2002, 2002) == "outside"


def test_a_company_with_50_workers_in_2002_is_small():
    assert size(50, 100 * UIT_2002, 2002) == "small"


def test_a_company_with_51_workers_and_tiny_sales_in_2002_is_outside_the_regime():
    assert size(51, 10 * UIT_2002, 2002) == "outside"


def test_a_company_with_50_workers_and_exactly_850_uit_in_2002_is_small():
    assert size(50, 850 * UIT_2002, 2002) == "small"


def test_ley_28015_has_no_medium_class():
    assert size(20, 2000 * UIT_2002, 2002) == "outside"


# --- Ley 30056, figures of 2026 (UIT S/ 5,500) ----------------------------------------------


def test_a_company_with_exactly_150_uit_of_sales_in_2026_is_micro():
    assert Decimal("825000") == 150 * UIT_2026
    assert size(5, Decimal("825000.00"), 2026) == "micro"


def test_a_company_with_one_cent_over_150_uit_of_sales_in_2026_is_small():
    assert size(5, Decimal("825000.01"), 2026) == "small"


def test_a_company_with_151_uit_of_sales_in_2026_is_small():
    assert size(5, 151 * UIT_2026, 2026) == "small"


def test_a_company_with_exactly_1700_uit_of_sales_in_2026_is_small():
    assert size(5, Decimal("9350000.00"), 2026) == "small"


def test_a_company_with_one_cent_over_1700_uit_of_sales_in_2026_is_medium():
    assert size(5, Decimal("9350000.01"), 2026) == "medium"


def test_a_company_with_exactly_2300_uit_of_sales_in_2026_is_medium():
    assert size(5, Decimal("12650000.00"), 2026) == "medium"


def test_a_company_with_one_cent_over_2300_uit_of_sales_in_2026_is_outside_the_regime():
    assert size(5, Decimal("12650000.01"), 2026) == "outside"


def test_a_company_with_200_workers_and_100_uit_of_sales_in_2026_is_micro():
    """Ley 30056 counts sales only: the number of workers does not matter."""
    assert size(200, 100 * UIT_2026, 2026) == "micro"


def test_a_company_with_11_workers_and_100_uit_of_sales_in_2026_is_still_micro():
    assert size(11, 100 * UIT_2026, 2026) == "micro"


def test_a_company_with_no_sales_in_2026_is_micro():
    assert size(0, Decimal("0"), 2026) == "micro"


# --- Which law: 2012, 2013, 2014 ---------------------------------------------------------------


def test_60_workers_with_small_sales_in_2012_are_outside_the_regime_under_ley_28015():
    assert size(60, 100 * UIT_2012, 2012) == "outside"


def test_60_workers_with_small_sales_in_2013_are_micro_because_ley_30056_was_in_force_on_31_december():
    assert size(60, 100 * UIT_2013, 2013) == "micro"


def test_60_workers_with_small_sales_in_2014_are_micro_under_ley_30056():
    assert size(60, 100 * UIT_2014, 2014) == "micro"


def test_1000_uit_of_sales_in_2012_are_outside_the_regime_but_small_in_2013_and_2014():
    assert size(5, 1000 * UIT_2012, 2012) == "outside"
    assert size(5, 1000 * UIT_2013, 2013) == "small"
    assert size(5, 1000 * UIT_2014, 2014) == "small"


def test_the_same_sales_in_soles_give_a_different_class_in_years_with_a_different_uit():
    """S/ 555,000 is exactly 150 UIT of 2013, over 150 UIT of 2012 and under 150 UIT of 2014."""
    sales = 150 * UIT_2013  # S/ 555,000
    assert size(5, sales, 2013) == "micro"  # 150 UIT of 2013
    assert size(5, sales, 2012) == "small"  # 152.05 UIT of 2012, Ley 28015
    assert size(5, sales, 2014) == "micro"  # 146.05 UIT of 2014


# --- Unknown figures and years outside the table ---------------------------------------------------


def test_a_company_with_unknown_sales_has_no_size_class():
    assert size(5, None, 2025) == ""


def test_a_company_with_sales_of_an_unknown_year_has_no_size_class():
    assert size(5, Decimal("100000"), None) == ""


def test_sales_of_a_year_before_the_uit_table_have_no_size_class():
    assert uit_for_year(1995) is None
    assert size(5, Decimal("100000"), 1995) == ""


def test_a_year_after_the_table_uses_the_latest_uit():
    assert uit_for_year(2030) == UIT_2026
    assert size(5, 150 * UIT_2026, 2030) == "micro"
    assert size(5, 150 * UIT_2026 + CENT, 2030) == "small"


def test_a_year_with_no_rule_in_force_has_no_size_class():
    SizeRule.objects.all().delete()
    assert size(5, Decimal("100000"), 2026) == ""


# --- The rules and the UIT are data, not code -------------------------------------------------------


def test_changing_a_rule_changes_the_size_class_without_touching_code():
    SizeRule.objects.filter(law="Ley 30056", size_class="micro").update(max_sales_uit=Decimal("200"))
    assert size(5, 180 * UIT_2026, 2026) == "micro"


def test_company_create_stores_the_size_class_of_its_figures(promoter, lima):
    company = company_create(
        user=promoter, centre=lima, fields=company_fields(annual_sales=Decimal("900000.00"), sales_year=2025)
    )
    # 900,000 / 5,350 (UIT 2025) = 168.2 UIT
    assert company.size_class == "small"
    company.refresh_from_db()
    assert company.size_class == "small"


def test_company_create_leaves_the_size_class_empty_without_a_sales_figure(promoter, lima):
    company = company_create(user=promoter, centre=lima, fields=company_fields(annual_sales=None, sales_year=None))
    assert company.size_class == ""


def test_changing_a_uit_value_and_recomputing_updates_the_stored_companies(promoter, lima, administrator):
    # 900,000 is 163.6 UIT at S/ 5,500: small. At S/ 6,000 it is exactly 150 UIT: micro.
    changes = company_create(
        user=promoter,
        centre=lima,
        fields=company_fields(legal_name="Lácteos del Valle", annual_sales=Decimal("900000"), sales_year=2026),
    )
    stays = company_create(
        user=promoter,
        centre=lima,
        fields=company_fields(legal_name="Molinos Huaycán", annual_sales=Decimal("100000"), sales_year=2026),
    )
    assert changes.size_class == "small"
    UitValue.objects.filter(year=2026).update(amount=Decimal("6000"))

    assert companies_recompute_size_class(user=administrator) == 1

    changes.refresh_from_db()
    stays.refresh_from_db()
    assert changes.size_class == "micro"
    assert stays.size_class == "micro"


def test_recomputing_twice_changes_nothing_the_second_time(administrator):
    CompanyFactory(annual_sales=Decimal("2000000"), sales_year=2025, size_class="micro")  # stale: really small
    assert companies_recompute_size_class(user=administrator) == 1
    assert companies_recompute_size_class(user=administrator) == 0
    assert Company.objects.get().size_class == "small"


def test_recomputing_clears_the_class_of_a_company_without_sales(administrator):
    CompanyFactory(annual_sales=None, sales_year=None, size_class="micro")
    assert companies_recompute_size_class(user=administrator) == 1
    assert Company.objects.get().size_class == ""


def test_only_an_administrator_recomputes_the_size_classes(coordinator):
    from core.exceptions import NotAllowed

    CompanyFactory(annual_sales=Decimal("2000000"), sales_year=2025, size_class="micro")
    with pytest.raises(NotAllowed):
        companies_recompute_size_class(user=coordinator)
    assert Company.objects.get().size_class == "micro"
