"""The dashboard's cache: a repeated request reads no service table, a change shows at once, and no
scope, centre, period or language is served another's numbers."""

import datetime

import pytest
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.tests.factories import ConsultationFactory
from core.tests.factories import UserFactory
from monitoring import cache, selectors
from monitoring.tests.factories import build_world

pytestmark = pytest.mark.django_db

THIS_YEAR = (datetime.date(timezone.localdate().year, 1, 1), timezone.localdate())
YEAR_2024 = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))  # build_world's year


@pytest.fixture
def cached(settings):
    settings.MONITORING_CACHE_SECONDS = 300
    django_cache.clear()
    yield
    django_cache.clear()


@pytest.fixture
def world(lima, huancayo):
    return build_world(lima, huancayo, UserFactory(username="builder"))


def _queries(fn) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return result, len(captured)


def test_a_repeated_dashboard_runs_no_query_and_gives_the_same_numbers(cached, national_manager, world):
    first, computed = _queries(lambda: cache.dashboard(national_manager, *YEAR_2024))
    again, repeated = _queries(lambda: cache.dashboard(national_manager, *YEAR_2024))
    assert computed >= 15 and repeated < 3  # at most the user's centres, read once per user
    assert first["cuadro2"]["totals"]["companies"] > 0
    assert again == first == selectors.dashboard(national_manager, *YEAR_2024)


def test_a_saved_record_shows_once_its_transaction_commits(
    cached, django_capture_on_commit_callbacks, national_manager, lima
):
    before = cache.dashboard(national_manager, *THIS_YEAR)["consultations"]["total"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ConsultationFactory(centre=lima)
        # Not before the commit: this request would cache numbers that may yet be rolled back.
        assert cache.dashboard(national_manager, *THIS_YEAR)["consultations"]["total"] == before
    assert cache.dashboard(national_manager, *THIS_YEAR)["consultations"]["total"] == before + 1


def test_a_deleted_record_shows_on_the_next_request(cached, django_capture_on_commit_callbacks, national_manager, lima):
    consultation = ConsultationFactory(centre=lima)
    before = cache.dashboard(national_manager, *THIS_YEAR)["consultations"]["total"]
    with django_capture_on_commit_callbacks(execute=True):
        consultation.delete()
    assert cache.dashboard(national_manager, *THIS_YEAR)["consultations"]["total"] == before - 1


def test_a_rolled_back_change_keeps_the_cached_numbers(
    cached, django_capture_on_commit_callbacks, national_manager, lima
):
    cache.dashboard(national_manager, *THIS_YEAR)
    version = cache.data_version()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ConsultationFactory(centre=lima)
        raise RuntimeError("rolled back")
    assert callbacks == [] and cache.data_version() == version


def test_a_coordinator_never_gets_the_national_numbers(cached, national_manager, coordinator, lima, world):
    every = cache.dashboard(national_manager, *YEAR_2024)
    lima_only = cache.dashboard(coordinator, *YEAR_2024)
    assert lima_only == selectors.dashboard(coordinator, *YEAR_2024)
    assert lima_only["cuadro2"]["totals"] != every["cuadro2"]["totals"]
    assert {row["centre"] for row in lima_only["cuadro2"]["rows"]} == {lima.name}


def test_each_centre_period_and_language_has_its_own_entry(cached, national_manager, lima, huancayo, world):
    every = cache.dashboard(national_manager, *YEAR_2024)
    one = cache.dashboard(national_manager, *YEAR_2024, centre=huancayo)
    assert {row["centre"] for row in one["cuadro2"]["rows"]} == {huancayo.name}
    assert one["cuadro2"]["totals"] != every["cuadro2"]["totals"]
    assert cache.dashboard(national_manager, *THIS_YEAR) == selectors.dashboard(national_manager, *THIS_YEAR)
    with translation.override("en"):
        english = cache.dashboard(national_manager, *YEAR_2024)["credit"]["by_other_service"]
    with translation.override("es"):
        spanish = cache.dashboard(national_manager, *YEAR_2024)["credit"]["by_other_service"]
    assert english and {g["label"] for g in english} <= {"Credit only", "Also had assistance or training"}
    assert spanish and {g["label"] for g in spanish}.isdisjoint({"Credit only", "Also had assistance or training"})


def test_no_lifetime_means_computed_every_time(settings, national_manager, lima):
    settings.MONITORING_CACHE_SECONDS = 0
    cache.dashboard(national_manager, *THIS_YEAR)  # the user's centres and the settings, read once
    _first, computed = _queries(lambda: cache.dashboard(national_manager, *THIS_YEAR))
    _again, repeated = _queries(lambda: cache.dashboard(national_manager, *THIS_YEAR))
    assert repeated == computed >= 15


def test_the_page_and_the_api_read_the_cache(cached, client_for, national_manager, lima):
    client = client_for(national_manager)
    period = {"date_from": THIS_YEAR[0].isoformat(), "date_to": THIS_YEAR[1].isoformat()}
    client.get(reverse("monitoring:dashboard"), period)
    _response, page = _queries(lambda: client.get(reverse("monitoring:dashboard"), period))
    client.get("/api/v1/monitoring/summary/", period)
    response, api = _queries(lambda: client.get("/api/v1/monitoring/summary/", period))
    assert response.status_code == 200
    computed = len(selectors.PANELS) * 2
    assert page < computed and api < computed


def test_the_centres_settings_invalidate_and_notifications_do_not(
    cached, django_capture_on_commit_callbacks, national_manager, lima
):
    from core.models import CentreSettings, Notification

    version = cache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        Notification.objects.create(
            recipient=national_manager, kind="test", item="x", due_on=timezone.localdate(), message="m"
        )
    assert cache.data_version() == version
    with django_capture_on_commit_callbacks(execute=True):
        CentreSettings.objects.create(centre=lima, credit_par_days=60)
    assert cache.data_version() != version


class _DownCache:
    """A cache whose server is down (Redis stopped): every call raises."""

    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return refuse


def test_with_the_cache_server_down_saves_stand_and_the_dashboard_is_computed(
    cached, monkeypatch, django_capture_on_commit_callbacks, national_manager, lima
):
    monkeypatch.setattr(cache, "cache", _DownCache())
    with django_capture_on_commit_callbacks(execute=True):
        consultation = ConsultationFactory(centre=lima)
    assert consultation.pk is not None
    assert cache.dashboard(national_manager, *THIS_YEAR) == selectors.dashboard(national_manager, *THIS_YEAR)
