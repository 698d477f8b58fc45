"""Rules of the client registry's writes: companies, people, diagnoses, the problem tree and needs."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from clients.models import Company, Diagnosis, Entrepreneur, Need, ProblemNode
from clients.services import (
    clean_dni,
    clean_ruc,
    company_create,
    company_update,
    diagnosis_complete,
    diagnosis_create,
    diagnosis_set_needs,
    diagnosis_update,
    entrepreneur_create,
    entrepreneur_update,
    name_key,
    need_mark_answered,
    problem_node_add,
    problem_node_delete,
    problem_node_move,
    problem_node_update,
)
from clients.tests.factories import (
    COMPLETE_BASELINE,
    HUANCAYO_DISTRICT,
    SAN_JUAN_DE_LURIGANCHO,
    CompanyFactory,
    DiagnosisFactory,
    EntrepreneurFactory,
    NeedFactory,
    ProblemNodeFactory,
    company_fields,
    problem_tree_nodes,
    ubigeo,
)
from core.exceptions import DomainError

pytestmark = pytest.mark.django_db

VALID_RUC = "20100070970"
OTHER_VALID_RUC = "20600012348"


def this_year() -> int:
    return timezone.localdate().year


@pytest.fixture(autouse=True)
def english():
    """Some tests tell refusals apart by their message: read them in English whatever the catalogue says."""
    with translation.override("en"):
        yield


# --- RUC and DNI -------------------------------------------------------------------------------


def test_a_valid_ruc_is_accepted():
    assert clean_ruc("20100070970") == "20100070970"


def test_a_ruc_typed_with_spaces_is_stored_without_them():
    assert clean_ruc(" 201 0007 0970 ") == "20100070970"


def test_a_ruc_of_a_natural_person_is_accepted():
    assert clean_ruc("10456789124") == "10456789124"


def test_a_ruc_with_a_wrong_check_digit_is_refused():
    with pytest.raises(DomainError) as error:
        clean_ruc("20100070971")
    assert error.value.field == "ruc"


def test_a_ruc_of_10_digits_is_refused():
    with pytest.raises(DomainError) as error:
        clean_ruc("2010007097")
    assert error.value.field == "ruc"


def test_a_ruc_of_12_digits_is_refused():
    with pytest.raises(DomainError):
        clean_ruc("201000709700")


def test_a_ruc_with_letters_is_refused():
    with pytest.raises(DomainError) as error:
        clean_ruc("2010007097A")
    assert error.value.field == "ruc"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_ruc_means_no_ruc(empty):
    assert clean_ruc(empty) is None


def test_a_dni_of_8_digits_is_accepted():
    assert clean_dni(" 45678912 ") == "45678912"


@pytest.mark.parametrize("bad", ["4567891", "456789123", "4567891A", "4567-891"])
def test_a_dni_that_is_not_exactly_8_digits_is_refused(bad):
    with pytest.raises(DomainError) as error:
        clean_dni(bad)
    assert error.value.field == "dni"


@pytest.mark.parametrize("empty", [None, ""])
def test_an_empty_dni_means_no_dni(empty):
    assert clean_dni(empty) is None


def test_the_name_key_drops_accents_case_and_legal_suffix():
    assert name_key("Lácteos del Valle E.I.R.L.") == "lacteos del valle"
    assert name_key("PANIFICADORA SANTA ROSA S.A.C.") == "panificadora santa rosa"
    assert name_key("Molinos Huaycán SRL") == "molinos huaycan"


# --- company_create -----------------------------------------------------------------------------


def test_company_create_saves_the_company_with_its_size_class_and_name_key(promoter, lima):
    company = company_create(
        user=promoter,
        centre=lima,
        fields=company_fields(legal_name="Panadería Santa Rosa S.A.C.", ruc=VALID_RUC),
    )
    company.refresh_from_db()
    assert company.centre == lima
    assert company.created_by == promoter
    assert company.ruc == VALID_RUC
    assert company.name_key == "panaderia santa rosa"
    assert company.size_class == "micro"  # 120,000 in 2025 is 22.4 UIT


def test_company_create_refuses_a_duplicate_ruc_and_points_to_the_existing_company(promoter, lima, huancayo):
    existing = company_create(user=promoter, centre=lima, fields=company_fields(ruc=VALID_RUC))
    with pytest.raises(DomainError) as error:
        company_create(
            user=promoter,
            centre=huancayo,
            fields=company_fields(legal_name="Otra Razón Social", ruc=VALID_RUC, district=ubigeo(HUANCAYO_DISTRICT)),
        )
    assert error.value.field == "ruc"
    assert error.value.code == "duplicate"
    assert error.value.existing == existing
    assert Company.objects.count() == 1


def test_two_companies_without_ruc_can_be_registered(promoter, lima):
    company_create(user=promoter, centre=lima, fields=company_fields(legal_name="Dulces Rosita", ruc=""))
    company_create(user=promoter, centre=lima, fields=company_fields(legal_name="Fideos Andinos", ruc=None))
    assert Company.objects.filter(ruc__isnull=True).count() == 2


def test_a_company_with_a_ruc_is_active_in_the_ruc_register_unless_told_otherwise(promoter, lima):
    company = company_create(user=promoter, centre=lima, fields=company_fields(ruc=VALID_RUC))
    assert company.ruc_status == "active"
    suspended = company_create(
        user=promoter,
        centre=lima,
        fields=company_fields(legal_name="Fideos Andinos", ruc=OTHER_VALID_RUC, ruc_status="suspended"),
    )
    assert suspended.ruc_status == "suspended"


def test_a_company_without_ruc_has_no_ruc_status(promoter, lima):
    company = company_create(user=promoter, centre=lima, fields=company_fields(ruc="", ruc_status="active"))
    assert company.ruc_status == "none"


def test_company_create_refuses_an_invalid_ruc_and_saves_nothing(promoter, lima):
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(ruc="20100070971"))
    assert error.value.field == "ruc"
    assert Company.objects.count() == 0


def test_company_create_warns_about_a_similar_name_in_the_same_district(promoter, lima):
    first = company_create(user=promoter, centre=lima, fields=company_fields(legal_name="Panificadora Santa Rosa"))
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(legal_name="PANIFICADORA SANTA ROSA S.A.C."))
    assert error.value.code == "similar"
    assert error.value.field == "legal_name"
    assert error.value.similar == [first]
    assert Company.objects.count() == 1


def test_a_shorter_name_contained_in_a_registered_one_also_warns(promoter, lima):
    company_create(user=promoter, centre=lima, fields=company_fields(legal_name="Panificadora Santa Rosa"))
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(legal_name="Santa Rosa"))
    assert error.value.code == "similar"


def test_company_create_saves_a_similar_name_when_the_promoter_confirms_it_is_another_company(promoter, lima):
    company_create(user=promoter, centre=lima, fields=company_fields(legal_name="Panificadora Santa Rosa"))
    second = company_create(
        user=promoter,
        centre=lima,
        fields=company_fields(legal_name="Panificadora Santa Rosa SAC"),
        confirm_similar=True,
    )
    assert second.pk is not None
    assert Company.objects.count() == 2


def test_a_similar_name_in_another_district_does_not_warn(promoter, lima):
    company_create(user=promoter, centre=lima, fields=company_fields(legal_name="Panificadora Santa Rosa"))
    other = company_create(
        user=promoter,
        centre=lima,
        fields=company_fields(legal_name="Panificadora Santa Rosa", district=ubigeo(SAN_JUAN_DE_LURIGANCHO)),
    )
    assert other.pk is not None
    assert Company.objects.count() == 2


@pytest.mark.parametrize("field", ["permanent_men", "permanent_women", "temporary_men", "temporary_women"])
def test_company_create_refuses_a_negative_number_of_workers(promoter, lima, field):
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(**{field: -1}))
    assert error.value.field == field
    assert Company.objects.count() == 0


def test_company_create_refuses_a_missing_number_of_workers_with_a_domain_error(promoter, lima):
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(temporary_women=None))
    assert error.value.field == "temporary_women"
    assert Company.objects.count() == 0


def test_company_create_refuses_negative_sales(promoter, lima):
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(annual_sales=Decimal("-0.01")))
    assert error.value.field == "annual_sales"
    assert Company.objects.count() == 0


def test_company_create_refuses_sales_without_their_year(promoter, lima):
    with pytest.raises(DomainError) as error:
        company_create(
            user=promoter, centre=lima, fields=company_fields(annual_sales=Decimal("50000"), sales_year=None)
        )
    assert error.value.field == "sales_year"
    assert Company.objects.count() == 0


def test_company_create_refuses_sales_of_a_future_year(promoter, lima):
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(sales_year=this_year() + 1))
    assert error.value.field == "sales_year"
    assert Company.objects.count() == 0


def test_company_create_refuses_sales_of_a_year_before_1990(promoter, lima):
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(sales_year=1989))
    assert error.value.field == "sales_year"


def test_company_create_refuses_a_start_year_in_the_future(promoter, lima):
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(start_year=this_year() + 1))
    assert error.value.field == "start_year"
    assert Company.objects.count() == 0


def test_company_create_accepts_a_start_year_of_this_year(promoter, lima):
    company = company_create(user=promoter, centre=lima, fields=company_fields(start_year=this_year()))
    assert company.start_year == this_year()


def test_company_create_refuses_a_start_year_before_1900(promoter, lima):
    with pytest.raises(DomainError) as error:
        company_create(user=promoter, centre=lima, fields=company_fields(start_year=1899))
    assert error.value.field == "start_year"


def test_company_create_refuses_an_unknown_field(promoter, lima):
    with pytest.raises(ValueError, match="size_class"):
        company_create(user=promoter, centre=lima, fields=company_fields(size_class="micro"))


# --- company_update ------------------------------------------------------------------------------


def test_company_update_keeps_its_own_ruc(promoter, lima):
    company = company_create(user=promoter, centre=lima, fields=company_fields(ruc=VALID_RUC))
    company_update(user=promoter, company=company, fields={"ruc": VALID_RUC, "phone": "064 211234"})
    company.refresh_from_db()
    assert company.ruc == VALID_RUC
    assert company.phone == "064 211234"


def test_company_update_refuses_the_ruc_of_another_company(promoter, lima):
    company_create(user=promoter, centre=lima, fields=company_fields(legal_name="Dulces Rosita", ruc=VALID_RUC))
    other = company_create(
        user=promoter, centre=lima, fields=company_fields(legal_name="Fideos Andinos", ruc=OTHER_VALID_RUC)
    )
    with pytest.raises(DomainError) as error:
        company_update(user=promoter, company=other, fields={"ruc": VALID_RUC})
    assert error.value.code == "duplicate"
    other.refresh_from_db()
    assert other.ruc == OTHER_VALID_RUC


def test_company_update_recomputes_the_size_class(promoter, lima):
    company = company_create(user=promoter, centre=lima, fields=company_fields())
    assert company.size_class == "micro"
    company_update(user=promoter, company=company, fields={"annual_sales": Decimal("20000000"), "sales_year": 2025})
    company.refresh_from_db()
    assert company.size_class == "outside"  # 3,738 UIT of 2025


def test_company_update_recomputes_the_name_key(promoter, lima):
    company = company_create(user=promoter, centre=lima, fields=company_fields())
    company_update(user=promoter, company=company, fields={"legal_name": "Chocolates Ñaña E.I.R.L."})
    company.refresh_from_db()
    assert company.name_key == "chocolates nana"


def test_company_update_refuses_negative_sales_and_leaves_the_row_as_it_was(promoter, lima):
    company = company_create(user=promoter, centre=lima, fields=company_fields())
    with pytest.raises(DomainError) as error:
        company_update(user=promoter, company=company, fields={"annual_sales": Decimal("-5")})
    assert error.value.field == "annual_sales"
    company.refresh_from_db()
    assert company.annual_sales == Decimal("120000.00")


# --- Entrepreneurs ------------------------------------------------------------------------------


def person_fields(**overrides) -> dict:
    fields = {"first_name": "Rosa", "last_name": "Quispe Mamani", "gender": "F", "dni": "45678912"}
    fields.update(overrides)
    return fields


def test_entrepreneur_create_saves_an_owner_of_a_company_of_the_centre(promoter, lima):
    company = CompanyFactory(centre=lima)
    person = entrepreneur_create(user=promoter, centre=lima, fields=person_fields(company=company))
    person.refresh_from_db()
    assert person.company == company
    assert person.relationship == "owner"
    assert person.is_protoenterprise is False
    assert person.created_by == promoter


def test_entrepreneur_create_keeps_the_relationship_given(promoter, lima):
    company = CompanyFactory(centre=lima)
    person = entrepreneur_create(
        user=promoter, centre=lima, fields=person_fields(company=company, relationship="family")
    )
    assert person.relationship == "family"


def test_an_entrepreneur_without_a_company_is_a_protoenterprise_with_no_relationship(promoter, lima):
    person = entrepreneur_create(user=promoter, centre=lima, fields=person_fields(relationship="owner"))
    person.refresh_from_db()
    assert person.company is None
    assert person.relationship == ""
    assert person.is_protoenterprise is True


def test_entrepreneur_create_refuses_a_duplicate_dni(promoter, lima, huancayo):
    existing = entrepreneur_create(user=promoter, centre=lima, fields=person_fields())
    with pytest.raises(DomainError) as error:
        entrepreneur_create(user=promoter, centre=huancayo, fields=person_fields(first_name="Juana"))
    assert error.value.field == "dni"
    assert error.value.code == "duplicate"
    assert error.value.existing == existing
    assert Entrepreneur.objects.count() == 1


def test_two_people_without_dni_can_be_registered(promoter, lima):
    entrepreneur_create(user=promoter, centre=lima, fields=person_fields(dni=""))
    entrepreneur_create(user=promoter, centre=lima, fields=person_fields(dni=None, first_name="Juana"))
    assert Entrepreneur.objects.filter(dni__isnull=True).count() == 2


def test_entrepreneur_create_refuses_a_malformed_dni(promoter, lima):
    with pytest.raises(DomainError) as error:
        entrepreneur_create(user=promoter, centre=lima, fields=person_fields(dni="1234567"))
    assert error.value.field == "dni"
    assert Entrepreneur.objects.count() == 0


def test_entrepreneur_create_refuses_a_company_of_another_centre(promoter, lima, huancayo):
    company = CompanyFactory(centre=huancayo)
    with pytest.raises(DomainError) as error:
        entrepreneur_create(user=promoter, centre=lima, fields=person_fields(company=company))
    assert error.value.field == "company"
    assert Entrepreneur.objects.count() == 0


def test_entrepreneur_update_refuses_moving_a_person_to_a_company_of_another_centre(promoter, lima, huancayo):
    person = entrepreneur_create(user=promoter, centre=lima, fields=person_fields())
    with pytest.raises(DomainError):
        entrepreneur_update(user=promoter, person=person, fields={"company": CompanyFactory(centre=huancayo)})
    person.refresh_from_db()
    assert person.company is None


def test_entrepreneur_update_keeps_the_persons_own_dni(promoter, lima):
    person = entrepreneur_create(user=promoter, centre=lima, fields=person_fields())
    entrepreneur_update(user=promoter, person=person, fields={"dni": "45678912", "phone": "987654321"})
    person.refresh_from_db()
    assert person.phone == "987654321"


def test_a_birth_year_100_years_ago_is_accepted(promoter, lima):
    person = entrepreneur_create(user=promoter, centre=lima, fields=person_fields(birth_year=this_year() - 100))
    assert person.birth_year == this_year() - 100


def test_a_birth_year_more_than_100_years_ago_is_refused(promoter, lima):
    with pytest.raises(DomainError) as error:
        entrepreneur_create(user=promoter, centre=lima, fields=person_fields(birth_year=this_year() - 101))
    assert error.value.field == "birth_year"


def test_a_person_of_12_is_accepted(promoter, lima):
    person = entrepreneur_create(user=promoter, centre=lima, fields=person_fields(birth_year=this_year() - 12))
    assert person.birth_year == this_year() - 12


def test_a_person_younger_than_12_is_refused(promoter, lima):
    with pytest.raises(DomainError) as error:
        entrepreneur_create(user=promoter, centre=lima, fields=person_fields(birth_year=this_year() - 11))
    assert error.value.field == "birth_year"
    assert Entrepreneur.objects.count() == 0


# --- Diagnosis and its needs -----------------------------------------------------------------------


@pytest.fixture
def company(lima):
    return CompanyFactory(centre=lima)


@pytest.fixture
def draft(company, promoter):
    return DiagnosisFactory(company=company, promoter=promoter, **COMPLETE_BASELINE)


@pytest.fixture
def completed(draft, promoter):
    problem_tree_nodes(draft)
    return diagnosis_complete(user=promoter, diagnosis=draft)


def test_diagnosis_create_opens_a_draft_signed_by_the_promoter_dated_today(promoter, company):
    diagnosis = diagnosis_create(user=promoter, company=company, fields={})
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.DRAFT
    assert diagnosis.promoter == promoter
    assert diagnosis.centre == company.centre
    assert diagnosis.date == timezone.localdate()


def test_diagnosis_create_refuses_a_date_in_the_future(promoter, company):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        diagnosis_create(user=promoter, company=company, fields={"date": tomorrow})
    assert error.value.field == "date"
    assert Diagnosis.objects.count() == 0


def test_diagnosis_create_refuses_negative_monthly_sales(promoter, company):
    with pytest.raises(DomainError) as error:
        diagnosis_create(user=promoter, company=company, fields={"monthly_sales": Decimal("-1")})
    assert error.value.field == "monthly_sales"
    assert Diagnosis.objects.count() == 0


def test_diagnosis_create_with_needs_creates_one_need_per_type(promoter, company):
    diagnosis = diagnosis_create(
        user=promoter,
        company=company,
        fields=COMPLETE_BASELINE,
        needs={"training": "BPM para panaderías", "credit": "", "equipment": "Horno rotativo"},
    )
    needs = {n.need_type: n for n in Need.objects.filter(diagnosis=diagnosis)}
    assert set(needs) == {"training", "credit", "equipment"}
    for need in needs.values():
        assert need.source == "diagnosis"
        assert need.centre_id == company.centre_id
        assert need.company_id == company.pk
        assert need.status == Need.Status.OPEN
    assert needs["equipment"].note == "Horno rotativo"
    assert needs["credit"].note == ""


def test_diagnosis_create_refuses_an_unknown_need_and_saves_nothing(promoter, company):
    with pytest.raises(DomainError):
        diagnosis_create(user=promoter, company=company, fields={}, needs={"massage": ""})
    assert Diagnosis.objects.count() == 0
    assert Need.objects.count() == 0


def test_diagnosis_set_needs_removes_unticked_open_needs_and_updates_notes(promoter, draft):
    diagnosis_set_needs(user=promoter, diagnosis=draft, needs={"training": "", "credit": "", "information": ""})
    diagnosis_set_needs(user=promoter, diagnosis=draft, needs={"training": "Curso de BPM", "commercial": ""})
    needs = {n.need_type: n for n in draft.needs.all()}
    assert set(needs) == {"training", "commercial"}
    assert needs["training"].note == "Curso de BPM"


def test_diagnosis_set_needs_keeps_an_answered_need_even_when_unticked(promoter, draft):
    diagnosis_set_needs(user=promoter, diagnosis=draft, needs={"credit": "Capital de trabajo", "training": ""})
    credit = draft.needs.get(need_type="credit")
    need_mark_answered(user=promoter, need=credit, answered_by="Préstamo 12")

    diagnosis_set_needs(user=promoter, diagnosis=draft, needs={})

    assert list(draft.needs.values_list("need_type", "status")) == [("credit", "answered")]


def test_diagnosis_set_needs_ticking_an_existing_type_again_does_not_duplicate_it(promoter, draft):
    diagnosis_set_needs(user=promoter, diagnosis=draft, needs={"training": ""})
    diagnosis_set_needs(user=promoter, diagnosis=draft, needs={"training": ""})
    assert draft.needs.count() == 1


def test_diagnosis_update_changes_the_baseline_and_the_needs(promoter, draft):
    diagnosis_update(user=promoter, diagnosis=draft, fields={"working_day": "gt8"}, needs={"assistance": "Costos"})
    draft.refresh_from_db()
    assert draft.working_day == "gt8"
    assert list(draft.needs.values_list("need_type", flat=True)) == ["assistance"]


@pytest.mark.parametrize("missing", ["product_line_count", "patrimonial_band", "equipment_band", "working_day"])
def test_a_diagnosis_cannot_be_completed_without_its_baseline(promoter, company, missing):
    baseline = {**COMPLETE_BASELINE, missing: None if missing == "product_line_count" else ""}
    diagnosis = DiagnosisFactory(company=company, promoter=promoter, **baseline)
    problem_tree_nodes(diagnosis)
    with pytest.raises(DomainError, match="baseline"):
        diagnosis_complete(user=promoter, diagnosis=diagnosis)
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.DRAFT
    assert diagnosis.completed_at is None


def test_a_diagnosis_cannot_be_completed_without_a_central_problem(promoter, draft):
    with pytest.raises(DomainError, match="central problem"):
        diagnosis_complete(user=promoter, diagnosis=draft)
    draft.refresh_from_db()
    assert draft.status == Diagnosis.Status.DRAFT


def test_a_diagnosis_cannot_be_completed_without_a_cause(promoter, draft):
    central = ProblemNodeFactory(diagnosis=draft, kind="central")
    ProblemNodeFactory(diagnosis=draft, kind="effect", parent=central, text="Pedidos perdidos")
    with pytest.raises(DomainError, match="cause"):
        diagnosis_complete(user=promoter, diagnosis=draft)
    draft.refresh_from_db()
    assert draft.status == Diagnosis.Status.DRAFT


def test_a_diagnosis_cannot_be_completed_without_an_effect(promoter, draft):
    central = ProblemNodeFactory(diagnosis=draft, kind="central")
    ProblemNodeFactory(diagnosis=draft, kind="cause", parent=central, text="Horno viejo")
    with pytest.raises(DomainError, match="effect"):
        diagnosis_complete(user=promoter, diagnosis=draft)
    draft.refresh_from_db()
    assert draft.status == Diagnosis.Status.DRAFT


def test_a_diagnosis_with_baseline_central_problem_cause_and_effect_is_completed(promoter, draft):
    problem_tree_nodes(draft)
    before = timezone.now()
    diagnosis = diagnosis_complete(user=promoter, diagnosis=draft)
    diagnosis.refresh_from_db()
    assert diagnosis.status == Diagnosis.Status.COMPLETED
    assert diagnosis.completed_at >= before


def test_a_completed_diagnosis_cannot_be_completed_again(promoter, completed):
    completed_at = completed.completed_at
    with pytest.raises(DomainError):
        diagnosis_complete(user=promoter, diagnosis=completed)
    completed.refresh_from_db()
    assert completed.completed_at == completed_at


def test_a_promoter_cannot_change_a_completed_diagnosis(promoter, completed):
    with pytest.raises(DomainError):
        diagnosis_update(user=promoter, diagnosis=completed, fields={"notes": "cambio tardío"})
    completed.refresh_from_db()
    assert completed.notes == ""


def test_a_promoter_cannot_change_the_needs_of_a_completed_diagnosis(promoter, completed):
    with pytest.raises(DomainError):
        diagnosis_set_needs(user=promoter, diagnosis=completed, needs={"credit": ""})
    assert completed.needs.count() == 0


def test_a_stale_copy_of_a_completed_diagnosis_cannot_be_changed_by_a_promoter(promoter, draft):
    problem_tree_nodes(draft)
    diagnosis_complete(user=promoter, diagnosis=draft)  # ``draft`` in memory still says "draft"
    with pytest.raises(DomainError):
        diagnosis_update(user=promoter, diagnosis=draft, fields={"notes": "cambio tardío"})


def test_an_administrator_can_correct_a_completed_diagnosis_and_the_history_keeps_it(administrator, completed):
    history_before = completed.history.count()
    diagnosis_update(user=administrator, diagnosis=completed, fields={"notes": "Corregido: 4 líneas"})
    completed.refresh_from_db()
    assert completed.notes == "Corregido: 4 líneas"
    assert completed.status == Diagnosis.Status.COMPLETED
    assert completed.history.count() == history_before + 1
    assert completed.history.first().notes == "Corregido: 4 líneas"
    assert completed.history.all()[1].notes == ""


def test_an_administrator_can_change_the_needs_of_a_completed_diagnosis(administrator, completed):
    diagnosis_set_needs(user=administrator, diagnosis=completed, needs={"credit": ""})
    assert completed.needs.count() == 1


def test_a_promoter_cannot_add_a_node_to_a_completed_diagnosis(promoter, completed):
    nodes_before = completed.nodes.count()
    with pytest.raises(DomainError):
        problem_node_add(user=promoter, diagnosis=completed, kind="cause", text="Falta de capital")
    assert completed.nodes.count() == nodes_before


def test_a_promoter_cannot_edit_a_node_of_a_completed_diagnosis(promoter, completed):
    node = ProblemNode.objects.get(diagnosis=completed, kind="cause")
    with pytest.raises(DomainError):
        problem_node_update(user=promoter, node=node, text="Otro texto", to_address=False)
    node.refresh_from_db()
    assert node.text == "Horno sin mantenimiento"
    assert node.to_address is True


def test_a_promoter_cannot_delete_a_node_of_a_completed_diagnosis(promoter, completed):
    node = ProblemNode.objects.get(diagnosis=completed, kind="effect")
    with pytest.raises(DomainError):
        problem_node_delete(user=promoter, node=node)
    assert ProblemNode.objects.filter(pk=node.pk).exists()


def test_a_promoter_cannot_move_a_node_of_a_completed_diagnosis(promoter, completed):
    central = ProblemNode.objects.get(diagnosis=completed, kind="central")
    cause = ProblemNode.objects.get(diagnosis=completed, kind="cause")
    sub = ProblemNode.objects.create(diagnosis=completed, parent=cause, kind="cause", text="Sin técnico")
    with pytest.raises(DomainError):
        problem_node_move(user=promoter, node=ProblemNode.objects.get(pk=sub.pk), new_parent=central)
    sub.refresh_from_db()
    assert sub.parent_id == cause.pk


def test_an_administrator_can_add_edit_and_delete_nodes_of_a_completed_diagnosis(administrator, completed):
    added = problem_node_add(user=administrator, diagnosis=completed, kind="cause", text="Falta de capital")
    node = ProblemNode.objects.get(pk=added.pk)
    problem_node_update(user=administrator, node=node, text="Falta de capital de trabajo", to_address=True)
    node.refresh_from_db()
    assert node.text == "Falta de capital de trabajo"
    assert node.to_address is True
    problem_node_delete(user=administrator, node=ProblemNode.objects.get(pk=added.pk))
    assert not ProblemNode.objects.filter(pk=added.pk).exists()


def test_an_administrators_change_to_a_completed_tree_leaves_a_history_record(administrator, completed):
    node = ProblemNode.objects.get(diagnosis=completed, kind="cause")
    before = node.history.count()
    problem_node_update(user=administrator, node=node, to_address=True)
    assert node.history.count() == before + 1


# --- Problem tree ----------------------------------------------------------------------------------


def test_a_diagnosis_has_only_one_central_problem(promoter, draft):
    problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    with pytest.raises(DomainError):
        problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Otro problema")
    assert draft.nodes.filter(kind="central").count() == 1


def test_the_central_problem_cannot_have_a_parent(promoter, draft):
    parent = ProblemNodeFactory(diagnosis=DiagnosisFactory())
    with pytest.raises(DomainError, match="no parent"):
        problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Problema", parent=parent)
    assert draft.nodes.count() == 0


def test_a_cause_needs_the_central_problem_first(promoter, draft):
    with pytest.raises(DomainError):
        problem_node_add(user=promoter, diagnosis=draft, kind="cause", text="Horno viejo")
    assert draft.nodes.count() == 0


def test_an_unknown_kind_of_node_is_refused(promoter, draft):
    problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    with pytest.raises(DomainError):
        problem_node_add(user=promoter, diagnosis=draft, kind="solution", text="Comprar horno")


@pytest.mark.parametrize("text", ["", "   ", "x" * 301])
def test_a_node_needs_a_text_of_at_most_300_characters(promoter, draft, text):
    with pytest.raises(DomainError) as error:
        problem_node_add(user=promoter, diagnosis=draft, kind="central", text=text)
    assert error.value.field == "text"


def test_a_cause_or_effect_without_parent_hangs_under_the_central_problem(promoter, draft):
    central = problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    cause = problem_node_add(user=promoter, diagnosis=draft, kind="cause", text="Horno viejo")
    effect = problem_node_add(user=promoter, diagnosis=draft, kind="effect", text="Pedidos perdidos")
    assert cause.parent == central
    assert effect.parent == central


def test_nodes_under_the_same_parent_are_numbered_in_order(promoter, draft):
    problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    first = problem_node_add(user=promoter, diagnosis=draft, kind="cause", text="Horno viejo")
    second = problem_node_add(user=promoter, diagnosis=draft, kind="effect", text="Pedidos perdidos")
    assert (first.position, second.position) == (0, 1)


def test_a_cause_under_an_effect_is_refused(promoter, draft):
    problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    effect = problem_node_add(user=promoter, diagnosis=draft, kind="effect", text="Pedidos perdidos")
    with pytest.raises(DomainError):
        problem_node_add(user=promoter, diagnosis=draft, kind="cause", text="Horno viejo", parent=effect)
    assert not draft.nodes.filter(kind="cause").exists()


def test_an_effect_under_a_cause_is_refused(promoter, draft):
    problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    cause = problem_node_add(user=promoter, diagnosis=draft, kind="cause", text="Horno viejo")
    with pytest.raises(DomainError):
        problem_node_add(user=promoter, diagnosis=draft, kind="effect", text="Mermas", parent=cause)


def test_a_cause_under_a_cause_is_allowed(promoter, draft):
    problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    cause = problem_node_add(user=promoter, diagnosis=draft, kind="cause", text="Horno viejo")
    root_cause = problem_node_add(user=promoter, diagnosis=draft, kind="cause", text="Sin capital", parent=cause)
    assert root_cause.parent == cause


def test_a_node_cannot_hang_from_a_node_of_another_diagnosis(promoter, draft):
    problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    foreign_central, foreign_cause, _effect = problem_tree_nodes(DiagnosisFactory())
    with pytest.raises(DomainError):
        problem_node_add(user=promoter, diagnosis=draft, kind="cause", text="Horno viejo", parent=foreign_cause)
    assert not foreign_cause.children.exists()


@pytest.fixture
def tree(promoter, draft):
    """central -> cause A -> cause A1 -> cause A1a; central -> cause B; central -> effect E -> effect E1."""
    add = problem_node_add
    central = add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    a = add(user=promoter, diagnosis=draft, kind="cause", text="A")
    a1 = add(user=promoter, diagnosis=draft, kind="cause", text="A1", parent=a)
    a1a = add(user=promoter, diagnosis=draft, kind="cause", text="A1a", parent=a1)
    b = add(user=promoter, diagnosis=draft, kind="cause", text="B")
    e = add(user=promoter, diagnosis=draft, kind="effect", text="E")
    e1 = add(user=promoter, diagnosis=draft, kind="effect", text="E1", parent=e)
    return {"central": central, "A": a, "A1": a1, "A1a": a1a, "B": b, "E": e, "E1": e1}


def test_a_cause_can_be_moved_under_another_cause(promoter, tree):
    moved = problem_node_move(user=promoter, node=tree["A1"], new_parent=tree["B"])
    moved.refresh_from_db()
    assert moved.parent == tree["B"]
    # its branch comes along
    assert ProblemNode.objects.get(pk=tree["A1a"].pk).parent == moved


def test_a_cause_can_be_moved_back_under_the_central_problem(promoter, tree):
    problem_node_move(user=promoter, node=tree["A1"], new_parent=tree["central"])
    assert ProblemNode.objects.get(pk=tree["A1"].pk).parent == tree["central"]


def test_a_node_cannot_be_moved_into_its_own_branch(promoter, tree):
    with pytest.raises(DomainError):
        problem_node_move(user=promoter, node=tree["A"], new_parent=tree["A1a"])
    assert ProblemNode.objects.get(pk=tree["A"].pk).parent == tree["central"]


def test_a_node_cannot_be_moved_under_itself(promoter, tree):
    with pytest.raises(DomainError):
        problem_node_move(user=promoter, node=tree["A"], new_parent=tree["A"])


def test_a_cause_cannot_be_moved_under_an_effect(promoter, tree):
    with pytest.raises(DomainError):
        problem_node_move(user=promoter, node=tree["B"], new_parent=tree["E"])
    assert ProblemNode.objects.get(pk=tree["B"].pk).parent == tree["central"]


def test_a_node_cannot_be_moved_to_a_node_of_another_diagnosis(promoter, tree):
    _central, foreign_cause, _effect = problem_tree_nodes(DiagnosisFactory())
    with pytest.raises(DomainError):
        problem_node_move(user=promoter, node=tree["B"], new_parent=foreign_cause)
    assert ProblemNode.objects.get(pk=tree["B"].pk).parent == tree["central"]


def test_the_central_problem_cannot_be_moved(promoter, tree):
    with pytest.raises(DomainError):
        problem_node_move(user=promoter, node=tree["central"], new_parent=tree["B"])
    assert ProblemNode.objects.get(pk=tree["central"].pk).parent is None


def test_the_central_problem_with_causes_or_effects_cannot_be_deleted(promoter, tree):
    with pytest.raises(DomainError):
        problem_node_delete(user=promoter, node=tree["central"])
    assert ProblemNode.objects.filter(pk=tree["central"].pk).exists()


def test_a_lone_central_problem_can_be_deleted(promoter, draft):
    central = problem_node_add(user=promoter, diagnosis=draft, kind="central", text="Baja productividad")
    problem_node_delete(user=promoter, node=central)
    assert draft.nodes.count() == 0


def test_deleting_a_cause_deletes_its_branch_and_nothing_else(promoter, tree):
    problem_node_delete(user=promoter, node=tree["A"])
    remaining = set(ProblemNode.objects.values_list("text", flat=True))
    assert remaining == {"Baja productividad", "B", "E", "E1"}


def test_renaming_a_node_and_choosing_it_for_action(promoter, tree):
    problem_node_update(user=promoter, node=tree["B"], text="  Falta de registro sanitario  ", to_address=True)
    node = ProblemNode.objects.get(pk=tree["B"].pk)
    assert node.text == "Falta de registro sanitario"
    assert node.to_address is True


def test_updating_a_node_with_nothing_leaves_it_as_it_was(promoter, tree):
    problem_node_update(user=promoter, node=tree["B"])
    node = ProblemNode.objects.get(pk=tree["B"].pk)
    assert (node.text, node.to_address) == ("B", False)


# --- Needs --------------------------------------------------------------------------------------


def test_need_mark_answered_records_when_and_what_answered_it(lima, promoter):
    need = NeedFactory(company=CompanyFactory(centre=lima))
    before = timezone.now()
    answered = need_mark_answered(user=promoter, need=need, answered_by="Servicio SAT-2026-014")
    need.refresh_from_db()
    assert need.status == Need.Status.ANSWERED
    assert need.answered_at >= before
    assert need.answered_by == "Servicio SAT-2026-014"
    assert answered.pk == need.pk


def test_need_mark_answered_twice_keeps_the_first_answer(lima, promoter):
    need = NeedFactory(company=CompanyFactory(centre=lima))
    first = need_mark_answered(user=promoter, need=need, answered_by="Curso BPM")
    second = need_mark_answered(user=promoter, need=need, answered_by="Préstamo 33")
    need.refresh_from_db()
    assert need.answered_by == "Curso BPM"
    assert need.answered_at == first.answered_at == second.answered_at


def test_need_mark_answered_cuts_a_long_description_to_the_column_size(lima, promoter):
    need = NeedFactory(company=CompanyFactory(centre=lima))
    need_mark_answered(user=promoter, need=need, answered_by="x" * 200)
    need.refresh_from_db()
    assert len(need.answered_by) == 120


def test_an_entrepreneur_without_company_can_have_a_need(lima, promoter):
    person = EntrepreneurFactory(centre=lima)
    need = Need.objects.create(centre=lima, entrepreneur=person, need_type="training", source="consultation")
    need_mark_answered(user=promoter, need=need, answered_by="Curso de helados")
    need.refresh_from_db()
    assert need.status == Need.Status.ANSWERED


def test_a_longer_name_containing_an_existing_one_also_warns(promoter, lima):
    from clients.services import similar_companies

    CompanyFactory(centre=lima, legal_name="Santa Rosa", name_key="santa rosa", district_id="150103")
    found = similar_companies(legal_name="Panificadora Santa Rosa E.I.R.L.", district_id="150103")
    assert [c.legal_name for c in found] == ["Santa Rosa"]


def test_a_stale_copy_of_a_completed_diagnosis_cannot_be_changed(promoter, lima):
    from clients.services import problem_node_add

    diagnosis = DiagnosisFactory(company=CompanyFactory(centre=lima), promoter=promoter)
    stale = Diagnosis.objects.get(pk=diagnosis.pk)
    Diagnosis.objects.filter(pk=diagnosis.pk).update(status="completed", completed_at=timezone.now())
    with pytest.raises(DomainError):
        problem_node_add(user=promoter, diagnosis=stale, kind="central", text="Tarde")
    assert not diagnosis.nodes.exists()
