"""Reads of the client registry: scoped to the user's centres, searchable, in a fixed number of queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from clients import selectors
from clients.services import problem_node_add
from clients.tests.factories import (
    HUANCAYO_DISTRICT,
    CompanyFactory,
    DiagnosisFactory,
    EntrepreneurFactory,
    NeedFactory,
    ProblemNodeFactory,
    subsector,
    ubigeo,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lima_company(lima):
    return CompanyFactory(
        centre=lima, legal_name="Panificadora Santa Rosa S.A.C.", trade_name="Pan Rosita", ruc="20100070970"
    )


@pytest.fixture
def huancayo_company(huancayo):
    return CompanyFactory(
        centre=huancayo,
        legal_name="Lácteos del Mantaro E.I.R.L.",
        district=ubigeo(HUANCAYO_DISTRICT),
        subsector=subsector("Lácteos"),
        ruc="20600012348",
    )


# --- Scoping ------------------------------------------------------------------------------------


def test_a_lima_promoter_sees_only_lima_companies(promoter, lima_company, huancayo_company):
    assert list(selectors.company_list(user=promoter)) == [lima_company]


def test_a_huancayo_promoter_sees_only_huancayo_companies(promoter_huancayo, lima_company, huancayo_company):
    assert list(selectors.company_list(user=promoter_huancayo)) == [huancayo_company]


def test_a_national_manager_sees_the_companies_of_every_centre(national_manager, lima_company, huancayo_company):
    assert set(selectors.company_list(user=national_manager)) == {lima_company, huancayo_company}


def test_an_administrator_sees_the_companies_of_every_centre(administrator, lima_company, huancayo_company):
    assert selectors.company_list(user=administrator).count() == 2


def test_an_anonymous_visitor_sees_no_company(lima_company):
    assert not selectors.company_list(user=AnonymousUser()).exists()


def test_a_user_of_no_centre_sees_no_company(lima_company):
    from core.tests.factories import UserFactory

    assert not selectors.company_list(user=UserFactory(roles=["promoter"])).exists()


def test_a_promoter_gets_a_404_for_a_company_of_another_centre(promoter_huancayo, lima_company):
    with pytest.raises(Http404):
        selectors.company_detail(user=promoter_huancayo, pk=lima_company.pk)


def test_a_promoter_gets_the_detail_of_a_company_of_the_centre(promoter, lima_company):
    assert selectors.company_detail(user=promoter, pk=lima_company.pk) == lima_company


def test_a_promoter_gets_a_404_for_a_diagnosis_of_another_centre(promoter_huancayo, lima_company):
    diagnosis = DiagnosisFactory(company=lima_company)
    with pytest.raises(Http404):
        selectors.diagnosis_detail(user=promoter_huancayo, pk=diagnosis.pk)


def test_a_promoter_gets_a_404_for_a_tree_node_of_another_centre(promoter, promoter_huancayo, lima_company):
    node = ProblemNodeFactory(diagnosis=DiagnosisFactory(company=lima_company))
    assert selectors.problem_node_for_user(user=promoter, pk=node.pk) == node
    with pytest.raises(Http404):
        selectors.problem_node_for_user(user=promoter_huancayo, pk=node.pk)


def test_entrepreneurs_are_scoped_to_the_users_centres(promoter, national_manager, lima, huancayo):
    rosa = EntrepreneurFactory(centre=lima)
    juana = EntrepreneurFactory(centre=huancayo)
    assert list(selectors.entrepreneur_list(user=promoter)) == [rosa]
    assert set(selectors.entrepreneur_list(user=national_manager)) == {rosa, juana}
    with pytest.raises(Http404):
        selectors.entrepreneur_detail(user=promoter, pk=juana.pk)


# --- company_search -----------------------------------------------------------------------------


def search(user, text):
    return list(selectors.company_search(selectors.company_list(user=user), text))


@pytest.fixture
def other_lima_company(lima):
    return CompanyFactory(centre=lima, legal_name="Fideos Andinos", ruc="20500111225")


def test_company_search_finds_by_part_of_the_legal_name(national_manager, lima_company, other_lima_company):
    assert search(national_manager, "santa rosa") == [lima_company]


def test_company_search_finds_by_trade_name(national_manager, lima_company, other_lima_company):
    assert search(national_manager, "Rosita") == [lima_company]


def test_company_search_finds_by_the_start_of_the_ruc(national_manager, lima_company, other_lima_company):
    assert search(national_manager, "2010007") == [lima_company]
    assert search(national_manager, "20500111225") == [other_lima_company]


def test_company_search_does_not_match_the_middle_of_a_ruc(national_manager, lima_company, other_lima_company):
    assert search(national_manager, "0070970") == []


def test_company_search_finds_by_an_owners_last_name(national_manager, lima_company, other_lima_company):
    EntrepreneurFactory(centre=lima_company.centre, company=lima_company, first_name="Rosa", last_name="Quispe Mamani")
    assert search(national_manager, "Mamani") == [lima_company]
    assert search(national_manager, "rosa quispe") == [lima_company]


def test_company_search_finds_by_an_owners_dni(national_manager, lima_company, other_lima_company):
    EntrepreneurFactory(centre=lima_company.centre, company=other_lima_company, dni="45678912")
    assert search(national_manager, "45678912") == [other_lima_company]


def test_company_search_lists_a_company_once_when_several_owners_match(national_manager, lima_company):
    for first_name in ("Rosa", "Juana"):
        EntrepreneurFactory(centre=lima_company.centre, company=lima_company, first_name=first_name, last_name="Quispe")
    assert search(national_manager, "Quispe") == [lima_company]


def test_company_search_stays_within_the_users_centres(promoter, lima_company, huancayo_company):
    assert search(promoter, "Lácteos") == []
    assert search(promoter, "20600012348") == []


def test_an_empty_search_returns_every_visible_company(promoter, lima_company, other_lima_company, huancayo_company):
    assert set(search(promoter, "  ")) == {lima_company, other_lima_company}


def test_company_search_finds_nothing_for_an_unknown_text(national_manager, lima_company):
    assert search(national_manager, "Chocolatería") == []


# --- entrepreneur_search ------------------------------------------------------------------------


def people_search(user, text):
    return list(selectors.entrepreneur_search(selectors.entrepreneur_list(user=user), text))


@pytest.fixture
def people(lima, huancayo):
    return {
        "rosa": EntrepreneurFactory(centre=lima, first_name="Rosa", last_name="Quispe Mamani", dni="45678912"),
        "juan": EntrepreneurFactory(centre=lima, first_name="Juan", last_name="Quispe Huamán", dni="40123456"),
        "ana": EntrepreneurFactory(centre=huancayo, first_name="Ana", last_name="Quispe Rojas", dni="41234567"),
    }


def test_entrepreneur_search_finds_by_last_name_within_the_centre(promoter, people):
    assert set(people_search(promoter, "quispe")) == {people["rosa"], people["juan"]}


def test_entrepreneur_search_needs_every_word_to_match(promoter, people):
    assert people_search(promoter, "Rosa Quispe") == [people["rosa"]]


def test_entrepreneur_search_finds_by_exact_dni(promoter, people):
    assert people_search(promoter, "40123456") == [people["juan"]]


def test_entrepreneur_search_does_not_find_by_part_of_a_dni(promoter, people):
    assert people_search(promoter, "4012") == []


def test_entrepreneur_search_does_not_show_another_centres_person(promoter, people):
    assert people_search(promoter, "41234567") == []


def test_a_national_manager_finds_people_of_every_centre(national_manager, people):
    assert len(people_search(national_manager, "Quispe")) == 3


# --- open_needs_summary --------------------------------------------------------------------------


@pytest.fixture
def needs(lima, huancayo, lima_company, huancayo_company):
    dairy_lima = CompanyFactory(centre=lima, legal_name="Lácteos Ate", subsector=subsector("Lácteos"))
    bakery_lima_2 = CompanyFactory(centre=lima, legal_name="Pastelería Vitarte")
    NeedFactory(company=lima_company, need_type="assistance")
    NeedFactory(company=bakery_lima_2, need_type="assistance")
    NeedFactory(company=lima_company, need_type="training")
    NeedFactory(company=dairy_lima, need_type="assistance")
    NeedFactory(company=huancayo_company, need_type="credit")
    NeedFactory(company=bakery_lima_2, need_type="credit", status="answered")
    NeedFactory(company=bakery_lima_2, need_type="equipment", status="dismissed")


def counts(rows):
    return [(r["centre__name"], r["company__subsector__name"], r["need_type"], r["total"]) for r in rows]


def test_open_needs_are_counted_by_centre_subsector_and_type(national_manager, needs):
    rows = selectors.open_needs_summary(user=national_manager)
    assert counts(rows) == [
        ("CentroPyME Huancayo", "Lácteos", "credit", 1),
        ("CentroPyME Lima", "Lácteos", "assistance", 1),
        ("CentroPyME Lima", "Panificación y pastelería", "assistance", 2),
        ("CentroPyME Lima", "Panificación y pastelería", "training", 1),
    ]


def test_each_open_needs_row_carries_the_label_of_its_type(national_manager, needs):
    from clients.models import NeedType

    for row in selectors.open_needs_summary(user=national_manager):
        assert row["need_label"] == NeedType(row["need_type"]).label


def test_a_lima_promoter_counts_only_lima_open_needs(promoter, needs):
    rows = selectors.open_needs_summary(user=promoter)
    assert {row["centre__name"] for row in rows} == {"CentroPyME Lima"}
    assert sum(row["total"] for row in rows) == 4


def test_open_needs_of_people_without_company_are_counted_without_subsector(national_manager, lima):
    from clients.models import Need

    person = EntrepreneurFactory(centre=lima)
    Need.objects.create(centre=lima, entrepreneur=person, need_type="training", source="consultation")
    assert counts(selectors.open_needs_summary(user=national_manager)) == [("CentroPyME Lima", None, "training", 1)]


def test_a_company_moved_to_another_subsector_moves_its_needs_in_the_summary(national_manager, coordinator, needs):
    from clients.models import Company, Subsector
    from clients.services import company_update

    dairy = Subsector.objects.get(name="Lácteos")
    bakery = Company.objects.get(legal_name="Pastelería Vitarte")
    company_update(user=coordinator, company=bakery, fields={"subsector": dairy})
    assert counts(selectors.open_needs_summary(user=national_manager)) == [
        ("CentroPyME Huancayo", "Lácteos", "credit", 1),
        ("CentroPyME Lima", "Lácteos", "assistance", 2),
        ("CentroPyME Lima", "Panificación y pastelería", "assistance", 1),
        ("CentroPyME Lima", "Panificación y pastelería", "training", 1),
    ]
    assert set(bakery.needs.values_list("subsector__name", flat=True)) == {"Lácteos"}


def test_a_need_recorded_by_another_app_carries_its_companys_subsector(national_manager, lima_company):
    from clients.services import need_create

    need = need_create(
        user=national_manager, centre=lima_company.centre, need_type="credit", source="consultation",
        company=lima_company,
    )  # fmt: skip
    need.refresh_from_db()
    assert need.subsector_id == lima_company.subsector_id is not None


def test_open_needs_summary_is_one_query(national_manager, needs, django_assert_num_queries):
    selectors.company_list(user=national_manager)  # reads the user's roles once; they are cached on the user
    with django_assert_num_queries(1):
        selectors.open_needs_summary(user=national_manager)


# --- problem_tree ----------------------------------------------------------------------------------


@pytest.fixture
def tree(promoter, lima_company):
    diagnosis = DiagnosisFactory(company=lima_company, promoter=promoter)

    def add(kind, text, parent=None):
        return problem_node_add(user=promoter, diagnosis=diagnosis, kind=kind, text=text, parent=parent)

    central = add("central", "Baja productividad")
    oven = add("cause", "Horno viejo")
    add("cause", "Sin capital para renovarlo", parent=oven)
    add("cause", "Sin registro sanitario")
    lost = add("effect", "Pedidos perdidos")
    add("effect", "Clientes se van a la competencia", parent=lost)
    return diagnosis, central


def test_problem_tree_gives_the_central_problem_with_causes_and_effects_in_one_query(tree, django_assert_num_queries):
    diagnosis, central = tree
    with django_assert_num_queries(1):
        result = selectors.problem_tree(diagnosis)
        # walking the whole tree reads nothing more
        texts = [(cause.text, [child.text for child in cause.child_nodes]) for cause in result["causes"]] + [
            (effect.text, [child.text for child in effect.child_nodes]) for effect in result["effects"]
        ]

    assert result["central"] == central
    assert [n.text for n in result["causes"]] == ["Horno viejo", "Sin registro sanitario"]
    assert [n.text for n in result["effects"]] == ["Pedidos perdidos"]
    assert texts == [
        ("Horno viejo", ["Sin capital para renovarlo"]),
        ("Sin registro sanitario", []),
        ("Pedidos perdidos", ["Clientes se van a la competencia"]),
    ]
    assert len(result["nodes"]) == 6


def test_problem_tree_of_a_diagnosis_without_nodes_is_empty(lima_company, django_assert_num_queries):
    diagnosis = DiagnosisFactory(company=lima_company)
    with django_assert_num_queries(1):
        result = selectors.problem_tree(diagnosis)
    assert result == {"central": None, "causes": [], "effects": [], "nodes": []}


def test_problem_tree_does_not_mix_in_nodes_of_another_diagnosis(tree, lima_company):
    diagnosis, _central = tree
    ProblemNodeFactory(diagnosis=DiagnosisFactory(company=lima_company), text="Otro árbol")
    assert "Otro árbol" not in [n.text for n in selectors.problem_tree(diagnosis)["nodes"]]


# --- Location catalogues -----------------------------------------------------------------------


def test_the_districts_of_a_province_come_from_the_ubigeo_catalogue():
    names = set(selectors.districts("1501").values_list("district", flat=True))
    assert {"Ate", "San Juan de Lurigancho"} <= names
    assert "El Tambo" not in names


def test_departments_are_listed_once_each_by_code():
    departments = dict(selectors.departments())
    assert departments["15"] == "Lima"
    assert departments["12"] == "Junín"


def test_provinces_of_a_department_are_listed_once_each():
    provinces = dict(selectors.provinces("12"))
    assert provinces["1201"] == "Huancayo"
    assert len(provinces) == len(set(provinces))


# --- Accents and case ---------------------------------------------------------------------------


def test_panaderia_without_accent_finds_panaderia_with_accent_in_any_case(national_manager, lima):
    plain = CompanyFactory(centre=lima, legal_name="Panadería Santa Rosa")
    shouting = CompanyFactory(centre=lima, legal_name="PANADERÍA EL TRIGAL")
    CompanyFactory(centre=lima, legal_name="Lácteos del Valle")
    assert set(search(national_manager, "panaderia")) == {plain, shouting}
    assert set(search(national_manager, "PANADERÍA")) == {plain, shouting}


def test_an_owner_is_found_without_the_accents_of_the_name(national_manager, lima_company):
    EntrepreneurFactory(centre=lima_company.centre, company=lima_company, first_name="Víctor", last_name="Ñaupari")
    assert search(national_manager, "victor naupari") == [lima_company]
    assert people_search(national_manager, "VICTOR") == list(lima_company.people.all())


def test_renaming_a_company_with_a_partial_save_keeps_its_search_name(national_manager, lima_company):
    lima_company.legal_name = "Chocolatería Qori"
    lima_company.save(update_fields=["legal_name"])
    assert search(national_manager, "chocolateria") == [lima_company]


def test_a_person_who_moves_to_another_company_is_found_with_the_new_one_only(national_manager, lima_company):
    other = CompanyFactory(centre=lima_company.centre, legal_name="Fideos Andinos")
    person = EntrepreneurFactory(centre=lima_company.centre, company=lima_company, last_name="Ccahuana")
    assert search(national_manager, "ccahuana") == [lima_company]
    person.company = other
    person.save()
    assert search(national_manager, "ccahuana") == [other]
    person.delete()
    assert search(national_manager, "ccahuana") == []


def test_needs_inserted_in_bulk_get_their_companys_subsector_filled_in(lima_company):
    from clients.models import Need

    Need.objects.bulk_create([Need(centre=lima_company.centre, company=lima_company, need_type="credit")])
    assert Need.fill_subsectors() == 1
    assert Need.objects.get(company=lima_company).subsector_id == lima_company.subsector_id
