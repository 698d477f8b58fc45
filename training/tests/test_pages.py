"""Every staff page of training: who may open it, another centre's record, and a fixed number of queries.

Rows are written straight to the tables here (not through the services) so that more
rows than a page cost little; the services have their own tests.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.tests.factories import CompanyFactory, EntrepreneurFactory, NeedFactory, subsector
from core.pagination import PAGE_SIZE
from training.models import Enrolment, FollowUp, ModuleComponent
from training.tests.factories import ModuleFactory, build_offering

pytestmark = pytest.mark.django_db

MANY = PAGE_SIZE + 5


def _count(client, url, params=None, status=200):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == status
    return len(ctx.captured_queries), response


def _modules(n, centres):
    for _ in range(n):
        module = ModuleFactory(subsector=subsector())
        module.centres.set(centres)
        ModuleComponent.objects.create(module=module, kind="manual")
        ModuleComponent.objects.create(module=module, kind="guide")


def _enrol(offering, n, *, status=Enrolment.Status.ENROLLED, with_company=True, by=None):
    """``n`` people in the course, half of them with a company (counted apart)."""
    made = []
    for i in range(n):
        by = by or offering.created_by
        company = CompanyFactory(centre=offering.centre, created_by=by) if with_company and i % 2 == 0 else None
        person = EntrepreneurFactory(centre=offering.centre, company=company, created_by=by)
        made.append(
            Enrolment.objects.create(
                centre=offering.centre,
                offering=offering,
                entrepreneur=person,
                company=company,
                status=status,
                waiting_since=timezone.now() if status == Enrolment.Status.WAITING else None,
                enrolled_by=by,
            )
        )
    return made


def _followups(offering, n, *, due_in=-1):
    for enrolment in _enrol(offering, n):
        FollowUp.objects.create(
            centre=offering.centre,
            enrolment=enrolment,
            due_on=timezone.localdate() + datetime.timedelta(days=due_in),
        )


# --- Module list and detail (the catalogue is the network's: no centre hides a module) -----------


def test_the_module_list_runs_the_same_queries_for_two_modules_or_more_than_a_page(
    client_for, consultant, lima, huancayo
):
    client = client_for(consultant)
    _modules(2, [lima])
    few, _ = _count(client, reverse("training:module_list"))
    _modules(MANY, [lima, huancayo])
    many, response = _count(client, reverse("training:module_list"))
    assert many == few
    assert response.content.decode().count('class="fw-semibold" href="/training/modules/') == PAGE_SIZE


def test_the_credit_officer_may_not_read_the_catalogue_but_a_consultant_may(client_for, consultant, credit_officer):
    module = ModuleFactory(name="Costos para panaderías")
    assert "Costos para panaderías" in client_for(consultant).get(reverse("training:module_list")).content.decode()
    officer = client_for(credit_officer)
    assert officer.get(reverse("training:module_list")).status_code == 403
    assert officer.get(reverse("training:module_detail", args=[module.pk])).status_code == 403


def test_the_module_page_runs_the_same_queries_however_many_courses_and_hides_other_centres_courses(
    client_for, front_desk, coordinator, lima, huancayo
):
    module = ModuleFactory()
    module.centres.set([lima, huancayo])
    ModuleComponent.objects.create(module=module, kind="manual")
    build_offering("open", coordinator=coordinator, centre=lima, module=module, sessions=1)
    client = client_for(front_desk)
    url = reverse("training:module_detail", args=[module.pk])
    few, _ = _count(client, url)
    for _ in range(MANY):
        build_offering("planned", coordinator=coordinator, centre=lima, module=module, sessions=0)
    hidden = build_offering("planned", coordinator=coordinator, centre=huancayo, module=module, sessions=0)
    many, response = _count(client, url)
    assert many == few
    assert hidden.code not in response.content.decode()
    assert client.get(reverse("training:module_detail", args=[module.pk + 1000])).status_code == 404


# --- Course detail --------------------------------------------------------------------------------


def test_the_course_page_runs_the_same_queries_for_two_participants_or_a_full_list_and_a_waiting_list(
    client_for, coordinator, lima
):
    offering = build_offering("open", coordinator=coordinator, centre=lima, capacity=MANY, sessions=3)
    client = client_for(coordinator)
    url = reverse("training:offering_detail", args=[offering.pk])
    _enrol(offering, 2, by=coordinator)
    EntrepreneurFactory(centre=lima, created_by=coordinator)  # someone left to enrol
    few, _ = _count(client, url)
    _enrol(offering, MANY - 2, by=coordinator)
    _enrol(offering, 6, status=Enrolment.Status.WAITING, by=coordinator)
    for _ in range(10):
        EntrepreneurFactory(centre=lima, created_by=coordinator)
    many, response = _count(client, url)
    assert many == few
    assert response.content.decode().count("data-participant=") == MANY


def test_the_front_desk_reads_a_course_the_credit_officer_may_not_and_another_centres_is_not_found(
    client_for, coordinator, front_desk, credit_officer, lima, huancayo
):
    offering = build_offering("open", coordinator=coordinator, centre=lima)
    body = client_for(front_desk).get(reverse("training:offering_detail", args=[offering.pk])).content.decode()
    assert offering.code in body and offering.module.name in body
    assert client_for(credit_officer).get(reverse("training:offering_detail", args=[offering.pk])).status_code == 403
    other = build_offering("open", coordinator=coordinator, centre=huancayo)
    assert client_for(front_desk).get(reverse("training:offering_detail", args=[other.pk])).status_code == 404


# --- Demand ---------------------------------------------------------------------------------------


def test_the_demand_page_runs_the_same_queries_for_one_need_or_many_in_many_subsectors(
    client_for, national_manager, lima, huancayo
):
    client = client_for(national_manager)
    NeedFactory(company=CompanyFactory(centre=lima), need_type="training")
    _modules(2, [lima])
    few, _ = _count(client, reverse("training:demand"))
    for i in range(MANY):
        centre = lima if i % 2 else huancayo
        NeedFactory(company=CompanyFactory(centre=centre, subsector=subsector(f"Rubro {i % 7}")), need_type="training")
    _modules(MANY, [lima, huancayo])
    many, response = _count(client, reverse("training:demand"))
    assert many == few
    assert response.content.decode().count("Rubro ") >= 7


def test_the_demand_page_is_for_coordinators_not_promoters_and_shows_only_the_centres_needs(
    client_for, coordinator, promoter, lima, huancayo
):
    NeedFactory(company=CompanyFactory(centre=lima, subsector=subsector("Textiles de Lima")), need_type="training")
    NeedFactory(
        company=CompanyFactory(centre=huancayo, subsector=subsector("Lácteos de Huancayo")), need_type="training"
    )
    body = client_for(coordinator).get(reverse("training:demand")).content.decode()
    assert "Textiles de Lima" in body and "Lácteos de Huancayo" not in body
    assert client_for(promoter).get(reverse("training:demand")).status_code == 403


def test_the_demand_is_grouped_by_centre_and_subsector_with_companies_and_people_apart_and_the_modules_held(
    client_for, national_manager, lima, huancayo
):
    bakery, dairy = subsector("Panadería"), subsector("Lácteos")
    for _ in range(2):
        NeedFactory(company=CompanyFactory(centre=lima, subsector=bakery), need_type="training")
    one = CompanyFactory(centre=lima, subsector=bakery)
    NeedFactory(company=one, need_type="training")
    NeedFactory(company=one, need_type="training")  # the same company twice: one company, two needs
    NeedFactory(company=CompanyFactory(centre=huancayo, subsector=bakery), need_type="training")
    NeedFactory(company=CompanyFactory(centre=lima, subsector=dairy), need_type="training")
    NeedFactory(company=CompanyFactory(centre=lima, subsector=dairy), need_type="assistance")  # not training
    answered = NeedFactory(company=CompanyFactory(centre=lima, subsector=dairy), need_type="training")
    answered.status = "answered"
    answered.save()
    NeedFactory(company=None, entrepreneur=EntrepreneurFactory(centre=lima), centre=lima, need_type="training")
    held = ModuleFactory(name="Panificación básica", subsector=bakery)
    held.centres.set([lima])
    response = client_for(national_manager).get(reverse("training:demand"))
    rows = {
        (r["centre__name"], r["company__subsector__name"]): (r["total"], r["companies"], r["people"], r["modules"])
        for r in response.context["rows"]
    }
    assert rows == {
        ("CentroPyME Lima", "Panadería"): (4, 3, 0, ["Panificación básica"]),
        ("CentroPyME Huancayo", "Panadería"): (1, 1, 0, []),
        ("CentroPyME Lima", "Lácteos"): (1, 1, 0, []),
        ("CentroPyME Lima", None): (1, 0, 1, []),
    }
    assert [r["total"] for r in response.context["rows"]][0] == 4  # the biggest demand first


# --- Follow-ups -----------------------------------------------------------------------------------


def test_the_follow_ups_page_runs_the_same_queries_for_two_or_more_than_a_page(client_for, coordinator, promoter, lima):
    offering = build_offering("open", coordinator=coordinator, centre=lima, sessions=1)
    client = client_for(promoter)
    _followups(offering, 2)
    few, _ = _count(client, reverse("training:followup_list"))
    _followups(offering, MANY)
    many, response = _count(client, reverse("training:followup_list"))
    assert many == few
    assert len(re.findall(r'href="/training/follow-ups/\d+/"', response.content.decode())) == PAGE_SIZE


def test_the_promoter_sees_the_centres_follow_ups_the_front_desk_may_not_and_another_centres_is_not_found(
    client_for, coordinator, promoter, front_desk, lima, huancayo
):
    own = build_offering("open", coordinator=coordinator, centre=lima, sessions=1)
    _followups(own, 1)
    other = build_offering("open", coordinator=coordinator, centre=huancayo, sessions=1)
    _followups(other, 1)
    mine, theirs = FollowUp.objects.get(centre=lima), FollowUp.objects.get(centre=huancayo)
    body = client_for(promoter).get(reverse("training:followup_list")).content.decode()
    assert reverse("training:followup_record", args=[mine.pk]) in body
    assert reverse("training:followup_record", args=[theirs.pk]) not in body
    assert client_for(promoter).get(reverse("training:followup_record", args=[theirs.pk])).status_code == 404
    assert client_for(front_desk).get(reverse("training:followup_list")).status_code == 403


# --- Enrolments API -------------------------------------------------------------------------------


def test_the_enrolments_api_runs_the_same_queries_for_two_or_more_than_a_page(client_for, coordinator, lima):
    offering = build_offering("open", coordinator=coordinator, centre=lima, capacity=100, sessions=1)
    client = client_for(coordinator)
    _followups(offering, 2)
    few, _ = _count(client, reverse("enrolment-list"))
    _followups(offering, MANY)
    _enrol(offering, 5, status=Enrolment.Status.WAITING)
    many, response = _count(client, reverse("enrolment-list"))
    assert many == few
    assert response.json()["count"] == MANY + 7 and len(response.json()["results"]) == PAGE_SIZE


def test_the_enrolments_api_hides_another_centre_and_refuses_the_credit_officer(
    client_for, coordinator, front_desk, credit_officer, lima, huancayo
):
    own = _enrol(build_offering("open", coordinator=coordinator, centre=lima, sessions=1), 1)[0]
    theirs = _enrol(build_offering("open", coordinator=coordinator, centre=huancayo, sessions=1), 1)[0]
    client = client_for(front_desk)
    assert [e["id"] for e in client.get(reverse("enrolment-list")).json()["results"]] == [own.pk]
    assert client.get(reverse("enrolment-detail", args=[theirs.pk])).status_code == 404
    assert client_for(credit_officer).get(reverse("enrolment-list")).status_code == 403
