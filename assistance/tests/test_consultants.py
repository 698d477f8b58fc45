"""How assistance uses the consultant directory: assigning consultants, the track record it
registers (services done, score, last service), the suggestions for a service, and what the
directory's pages and API show of it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from assistance.models import Evaluation, Service, Stage
from assistance.selectors import consultant_suggestions
from assistance.services.workflow import service_assign_consultant, service_cancel
from assistance.tests.factories import EvaluationFactory, ServiceFactory, build_service
from clients.tests.factories import HUANCAYO_DISTRICT, CompanyFactory, subsector, ubigeo
from consultants.models import Consultant
from consultants.selectors import consultant_list, idle_months, idle_since, idle_validated
from consultants.tests.factories import ConsultantFactory, DocumentFactory, area
from core.exceptions import DomainError
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def service_in(centre, stage=Stage.PROMOTION, **kwargs) -> Service:
    return ServiceFactory(company=CompanyFactory(centre=centre), stage=stage, **kwargs)


def _scored(consultant, *scores, centre):
    """Past closed services of a consultant, each with its owner's satisfaction."""
    for score in scores:
        past = service_in(centre, Stage.CLOSED)
        past.consultants.add(consultant)
        EvaluationFactory(service=past, satisfaction=score)


def _service_for(consultant, *, stage=Stage.PROMOTION, company=None, ended_on=None):
    service = ServiceFactory(stage=stage, execution_ended_on=ended_on, **({"company": company} if company else {}))
    service.consultants.add(consultant)
    return service


def names(response):
    return sorted(str(c) for c in response.context["page_obj"])


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- Assigning consultants to services -------------------------------------------------------------


@pytest.fixture
def service(lima):
    return ServiceFactory(company=CompanyFactory(centre=lima))


@pytest.mark.parametrize("status", [Consultant.Status.PROPOSED, Consultant.Status.REJECTED, Consultant.Status.INACTIVE])
def test_only_validated_consultants_can_be_assigned(service, coordinator, lima, status):
    consultant = ConsultantFactory(status=status, centres=[lima])

    with pytest.raises(DomainError) as refusal:
        service_assign_consultant(user=coordinator, service=service, consultant=consultant)

    assert refusal.value.field == "consultant"
    assert not service.consultants.exists()


def test_a_consultant_who_does_not_serve_the_centre_cannot_be_assigned(service, coordinator, huancayo):
    consultant = ConsultantFactory(centres=[huancayo])

    with pytest.raises(DomainError, match="does not serve this centre"):
        service_assign_consultant(user=coordinator, service=service, consultant=consultant)

    assert not service.consultants.exists()


def test_a_validated_consultant_serving_the_centre_is_assigned(service, coordinator, lima, huancayo):
    consultant = ConsultantFactory(centres=[huancayo, lima])

    service_assign_consultant(user=coordinator, service=service, consultant=consultant)

    assert list(service.consultants.all()) == [consultant]


def test_a_closed_or_cancelled_service_takes_no_consultants(lima, promoter, coordinator, consultant):
    closed = build_service(
        Stage.CLOSED, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )
    cancelled = service_cancel(user=coordinator, service=ServiceFactory(company=closed.company), reason="Duplicado")
    newcomer = ConsultantFactory(centres=[lima], user=UserFactory())

    for service in (closed, cancelled):
        with pytest.raises(DomainError, match="Only an open service"):
            service_assign_consultant(user=coordinator, service=service, consultant=newcomer)
        assert not service.consultants.filter(pk=newcomer.pk).exists()


# --- The track record assistance registers -------------------------------------------------------


def test_the_directory_counts_services_done_their_score_and_documents(lima, coordinator):
    consultant = ConsultantFactory(centres=[lima])
    _scored(consultant, 5, 2, centre=lima)
    service_in(lima, Stage.EXECUTION).consultants.add(consultant)
    DocumentFactory.create_batch(3, consultant=consultant)

    row = consultant_list(user=coordinator).get(pk=consultant.pk)

    assert (row.services_done, row.open_services, row.documents_count) == (2, 1, 3)
    assert Decimal(str(row.average_score)) == Decimal("3.5")


def test_the_last_service_is_the_latest_end_of_an_execution(lima, coordinator):
    consultant = ConsultantFactory(centres=[lima])
    _service_for(consultant, stage=Stage.CLOSED, ended_on=days_ago(300))
    _service_for(consultant, stage=Stage.EVALUATION, ended_on=days_ago(40))
    _service_for(consultant, stage=Stage.EXECUTION)  # still running: no end yet

    assert consultant_list(user=coordinator).get(pk=consultant.pk).last_service == days_ago(40)


def test_a_consultant_without_services_has_none_done_no_score_and_no_last_service(lima, coordinator):
    consultant = ConsultantFactory(centres=[lima])

    row = consultant_list(user=coordinator).get(pk=consultant.pk)

    assert (row.services_done, row.average_score, row.last_service, row.open_services) == (0, None, None, 0)


def test_idle_means_no_execution_ending_in_the_last_12_months_as_the_last_service_column_says(lima, coordinator):
    since = idle_since()
    recent = ConsultantFactory(last_name="Reciente", centres=[lima])
    _service_for(recent, stage=Stage.CLOSED, ended_on=since)
    old = ConsultantFactory(last_name="Antiguo", centres=[lima])
    _service_for(old, stage=Stage.CLOSED, ended_on=since - datetime.timedelta(days=1))
    # A service opened yesterday whose execution has not ended does not make a consultant active.
    running = ConsultantFactory(last_name="Ejecutando", centres=[lima])
    _service_for(running, stage=Stage.EXECUTION)
    never = ConsultantFactory(last_name="Nunca", centres=[lima])
    ConsultantFactory(last_name="Propuesto", centres=[lima], status=Consultant.Status.PROPOSED)

    idle = idle_validated(consultant_list(user=coordinator))

    assert idle_months() == 12
    assert set(idle) == {old, running, never}
    for row in consultant_list(user=coordinator).filter(status=Consultant.Status.VALIDATED):
        assert (row in idle) is (row.last_service is None or row.last_service < since)


def test_the_idle_filter_shows_validated_consultants_without_an_execution_ending_in_12_months(
    client_for, coordinator, lima
):
    idle = ConsultantFactory(first_name="Ana", last_name="Rojas", centres=[lima])
    busy = ConsultantFactory(first_name="Beto", last_name="Cruz", centres=[lima])
    ConsultantFactory(first_name="Carla", last_name="Díaz", centres=[lima], status=Consultant.Status.PROPOSED)
    ConsultantFactory(first_name="Dora", last_name="Vega", centres=[lima])
    company = CompanyFactory(centre=lima)
    _service_for(idle, stage=Stage.CLOSED, company=company, ended_on=days_ago(500))
    _service_for(busy, stage=Stage.CLOSED, company=company, ended_on=days_ago(20))

    response = client_for(coordinator).get(reverse("consultants:consultant_list"), {"idle": "on"})

    assert names(response) == ["Ana Rojas", "Dora Vega"]


def test_consultants_without_a_score_go_last_when_sorting_by_score(client_for, administrator, lima):
    scored = ConsultantFactory(first_name="Ana", last_name="Zúñiga", centres=[lima])
    ConsultantFactory(first_name="Beto", last_name="Alva", centres=[lima])
    service = _service_for(scored, stage=Stage.CLOSED)
    Evaluation.objects.create(service=service, date=timezone.localdate(), evaluator=administrator, satisfaction=4)
    client = client_for(administrator)
    for order in ("score", "-score"):
        page = client.get(reverse("consultants:consultant_list"), {"o": order}).context["page_obj"]
        assert [str(c) for c in page] == ["Ana Zúñiga", "Beto Alva"]
        assert page[0].average_score == 4


def _populate(n, lima, user):
    dairy, bakery = subsector("Lácteos"), subsector("Panificación y pastelería")
    company = CompanyFactory(centre=lima)
    for i in range(n):
        c = ConsultantFactory(last_name=f"Consultor {i:03d}", centres=[lima], subsectors=[dairy, bakery])
        c.areas.add(area("production"), area("management"))
        DocumentFactory(consultant=c, uploaded_by=user)
        _service_for(c, company=company, stage=Stage.CLOSED, ended_on=days_ago(i))


def test_the_list_with_track_records_runs_the_same_queries_with_3_and_with_30_consultants(
    client_for, coordinator, administrator, lima
):
    client = client_for(coordinator)
    url = reverse("consultants:consultant_list")
    _populate(3, lima, administrator)
    few = (_queries(client, url), _queries(client, url, {"idle": "on", "unasked": "on", "o": "-score"}))
    _populate(27, lima, administrator)
    many = (_queries(client, url), _queries(client, url, {"idle": "on", "unasked": "on", "o": "-score"}))
    assert few == many


def test_the_consultant_page_lists_their_services_in_the_same_queries_however_many(client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    client = client_for(administrator)
    url = reverse("consultants:consultant_detail", args=[ana.pk])
    first = _service_for(ana, company=CompanyFactory(centre=lima))
    few = _queries(client, url)
    for _ in range(5):
        _service_for(ana)
    assert _queries(client, url) == few
    page = client.get(url)
    assert len(page.context["services"]) == 6
    assert reverse("assistance:service_detail", args=[first.pk]) in page.content.decode()


def test_the_consultant_page_lists_only_the_services_of_the_centres_the_user_sees(
    client_for, coordinator, lima, huancayo
):
    shared = ConsultantFactory(centres=[lima, huancayo])
    ours = _service_for(shared, company=CompanyFactory(centre=lima))
    _service_for(shared, company=CompanyFactory(centre=huancayo, district=ubigeo(HUANCAYO_DISTRICT)))

    page = client_for(coordinator).get(reverse("consultants:consultant_detail", args=[shared.pk]))

    assert [item.code for item in page.context["services"]] == [ours.code]


def test_the_api_shows_what_each_consultant_did(coordinator, lima):
    profile = ConsultantFactory(centres=[lima])
    done = service_in(lima, Stage.CLOSED, execution_ended_on=datetime.date(2026, 3, 1))
    done.consultants.add(profile)
    Evaluation.objects.create(service=done, date=datetime.date(2026, 4, 5), evaluator=coordinator, satisfaction=4)
    service_in(lima, Stage.EXECUTION).consultants.add(profile)
    api = APIClient()
    api.force_authenticate(coordinator)

    body = api.get(reverse("consultant-detail", args=[profile.pk])).json()

    assert body["services_done"] == 1
    assert body["average_score"] == 4.0
    assert body["last_service"] == "2026-03-01"
    assert body["open_services"] == 1


# --- Suggestions for a service -----------------------------------------------------------------------


def test_suggestions_put_the_specialist_of_the_companys_subsector_with_good_scores_first(lima, huancayo):
    bakery = subsector()
    service = service_in(lima)
    specialist = ConsultantFactory(last_name="Zúñiga", centres=[lima], subsectors=[bakery])
    _scored(specialist, 5, 5, centre=lima)
    weaker_specialist = ConsultantFactory(last_name="Alva", centres=[lima], subsectors=[bakery])
    _scored(weaker_specialist, 2, centre=lima)
    generalist = ConsultantFactory(last_name="Benítez", centres=[lima])
    _scored(generalist, 5, centre=lima)
    newcomer = ConsultantFactory(last_name="Castro", centres=[lima], subsectors=[subsector("Lácteos")])
    ConsultantFactory(status=Consultant.Status.PROPOSED, centres=[lima], subsectors=[bakery])
    ConsultantFactory(status=Consultant.Status.INACTIVE, centres=[lima], subsectors=[bakery])
    ConsultantFactory(centres=[huancayo], subsectors=[bakery])
    already = ConsultantFactory(centres=[lima], subsectors=[bakery])
    service.consultants.add(already)

    suggestions = consultant_suggestions(service=service, limit=10)

    assert suggestions == [specialist, weaker_specialist, generalist, newcomer]


def test_suggestions_prefer_a_consultant_with_fewer_open_services(lima):
    service = service_in(lima)
    busy = ConsultantFactory(last_name="Arias", centres=[lima])
    for _ in range(4):
        service_in(lima, Stage.EXECUTION).consultants.add(busy)
    free = ConsultantFactory(last_name="Zevallos", centres=[lima])

    assert consultant_suggestions(service=service) == [free, busy]
