"""Reads of the directory: who sees which consultant, the filters, the requirements, the track-record
registry and the suggestions. No service app is imported: a fake track record stands in for one."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Case, DateField, IntegerField, Value, When
from django.utils import translation

from clients.tests.factories import CompanyFactory, NeedFactory, subsector
from consultants import track_record
from consultants.models import AccreditationDocument, Consultant
from consultants.selectors import (
    consultant_list,
    consultant_suggestions,
    idle_months,
    idle_since,
    idle_validated,
    missing_requirements,
    suggestion_weights,
    unasked_specialties,
)
from consultants.tests.factories import ConsultantFactory, DocumentFactory, area
from consultants.track_record import WorkItem, register_track_record, register_work_list, with_track_record, work_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """An empty track-record registry for the test (the real apps' registrations come back after)."""
    monkeypatch.setattr(track_record, "_annotators", {})
    monkeypatch.setattr(track_record, "_work_lists", {})
    return track_record


def fake_record(last_service: dict, open_services: dict | None = None):
    """A track record that knows the last service and open services of some consultants by pk."""

    def annotate(queryset):
        return queryset.annotate(
            last_service=Case(
                *[When(pk=pk, then=Value(day)) for pk, day in last_service.items()],
                default=Value(None),
                output_field=DateField(),
            ),
            open_services=Case(
                *[When(pk=pk, then=Value(n)) for pk, n in (open_services or {}).items()],
                default=Value(0),
                output_field=IntegerField(),
            ),
        )

    return annotate


# --- Who sees which consultant ------------------------------------------------------------------


def test_the_directory_shows_a_centre_only_its_consultants(lima, huancayo, coordinator, national_manager):
    ours = ConsultantFactory(centres=[lima])
    shared = ConsultantFactory(centres=[lima, huancayo])
    theirs = ConsultantFactory(centres=[huancayo])

    assert set(consultant_list(user=coordinator)) == {ours, shared}
    assert list(consultant_list(user=coordinator).filter(pk=shared.pk)) == [shared]
    assert set(consultant_list(user=national_manager)) == {ours, shared, theirs}


def test_unasked_specialties_are_those_no_open_need_asks_for(lima, coordinator):
    bakery, dairy = subsector(), subsector("Lácteos")
    NeedFactory(company=CompanyFactory(centre=lima, subsector=bakery), need_type="assistance")
    NeedFactory(company=CompanyFactory(centre=lima, subsector=dairy), need_type="training")
    asked = ConsultantFactory(centres=[lima], subsectors=[bakery])
    unasked = ConsultantFactory(centres=[lima], subsectors=[dairy])

    assert list(unasked_specialties(Consultant.objects.all(), user=coordinator)) == [unasked]
    assert asked not in unasked_specialties(Consultant.objects.all(), user=coordinator)


# --- Requirements -----------------------------------------------------------------------------------


def test_the_three_requirements_are_the_three_kinds_of_evidence():
    assert AccreditationDocument.Kind.values == ["degree", "experience", "methodology"]
    with translation.override("en"):
        labels = [str(k.label) for k in AccreditationDocument.Kind]
    assert labels == [
        "Professional or technical degree",
        "Documented consulting experience",
        "Methodology training for consulting (or references)",
    ]


def test_missing_requirements_lists_each_kind_without_a_document_in_order(lima):
    consultant = ConsultantFactory(centres=[lima])
    assert missing_requirements(consultant) == [k.label for k in AccreditationDocument.Kind]

    DocumentFactory(consultant=consultant, kind="experience")
    assert missing_requirements(consultant) == [
        AccreditationDocument.Kind.DEGREE.label,
        AccreditationDocument.Kind.METHODOLOGY.label,
    ]


# --- The track-record registry -------------------------------------------------------------------------


def test_without_a_registered_app_every_consultant_has_no_track_record(registry, lima, coordinator):
    ConsultantFactory(centres=[lima])

    row = consultant_list(user=coordinator).get()

    assert (row.services_done, row.average_score, row.last_service, row.open_services) == (0, None, None, 0)
    assert work_of(coordinator, row) == []


def test_a_registered_track_record_fills_the_directory_and_the_defaults_fill_the_rest(registry, lima, coordinator):
    busy = ConsultantFactory(centres=[lima])
    ConsultantFactory(centres=[lima])
    register_track_record("fake", fake_record({busy.pk: datetime.date(2026, 5, 1)}, {busy.pk: 2}))

    rows = {row.pk: row for row in consultant_list(user=coordinator)}

    assert (rows[busy.pk].last_service, rows[busy.pk].open_services) == (datetime.date(2026, 5, 1), 2)
    assert rows[busy.pk].services_done == 0  # the fake gives no count: the default
    assert all(row.last_service is None for pk, row in rows.items() if pk != busy.pk)


def test_a_registered_work_list_shows_on_the_consultant_page(registry, client_for, administrator, lima):
    ana = ConsultantFactory(centres=[lima])
    item = WorkItem(code="SAT-1", title="Mejora del pan", detail="Panadería", url="/somewhere/")
    register_work_list("fake", lambda user, consultant: [item] if consultant.pk == ana.pk else [])

    page = client_for(administrator).get(f"/assistance/consultants/{ana.pk}/")

    assert page.context["services"] == [item]
    assert 'href="/somewhere/"' in page.content.decode()


# --- Idle: validated without a service ending in the idle months of the settings ---------------------


def test_idle_since_counts_calendar_months_back():
    assert idle_since(datetime.date(2026, 12, 4)) == datetime.date(2025, 12, 4)
    assert idle_since(datetime.date(2026, 3, 31), months=1) == datetime.date(2026, 2, 28)
    assert idle_since(datetime.date(2026, 1, 15), months=13) == datetime.date(2024, 12, 15)


def test_idle_reads_the_same_last_service_the_list_shows_and_counts_consultants_without_one(registry, lima):
    since = idle_since()
    recent = ConsultantFactory(centres=[lima])
    old = ConsultantFactory(centres=[lima])
    never = ConsultantFactory(centres=[lima])
    proposed = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED)
    register_track_record(
        "fake",
        fake_record({recent.pk: since, old.pk: since - datetime.timedelta(days=1), proposed.pk: None}),
    )

    idle = idle_validated(with_track_record(Consultant.objects.all()))

    assert set(idle) == {old, never}
    # Given a queryset without the track record, it adds it itself.
    assert set(idle_validated(Consultant.objects.all())) == {old, never}


# --- Suggestions -------------------------------------------------------------------------------------


def test_suggestions_weigh_subsector_above_area_and_skip_those_excluded_or_not_validated(registry, lima, huancayo):
    bakery = subsector()
    both = ConsultantFactory(last_name="Zapata", centres=[lima], subsectors=[bakery])
    both.areas.add(area("production"))
    by_subsector = ConsultantFactory(last_name="Yupanqui", centres=[lima], subsectors=[bakery])
    by_area = ConsultantFactory(last_name="Xavier", centres=[lima])
    by_area.areas.add(area("production"))
    neither = ConsultantFactory(last_name="Alva", centres=[lima])
    excluded = ConsultantFactory(centres=[lima], subsectors=[bakery])
    ConsultantFactory(centres=[lima], subsectors=[bakery], status=Consultant.Status.PROPOSED)
    ConsultantFactory(centres=[huancayo], subsectors=[bakery])

    ranked = consultant_suggestions(
        centre_id=lima.pk, subsector_id=bakery.pk, area="production", exclude_ids=[excluded.pk], limit=10
    )

    weights = suggestion_weights(lima.pk)
    assert weights["subsector"] > weights["area"] > 0
    assert ranked == [both, by_subsector, by_area, neither]


def test_suggestions_count_open_services_against_a_consultant(registry, lima):
    busy = ConsultantFactory(last_name="Arias", centres=[lima])
    free = ConsultantFactory(last_name="Zevallos", centres=[lima])
    register_track_record("fake", fake_record({}, {busy.pk: 4}))

    assert consultant_suggestions(centre_id=lima.pk, subsector_id=None, area="production") == [free, busy]


def test_the_idle_months_and_the_weights_follow_the_settings_record(lima):
    from core.models import CentreSettings

    assert idle_months() == 12
    CentreSettings.objects.update_or_create(
        centre=None, defaults={"idle_consultant_months": 6, "suggestion_weight_area": Decimal("7")}
    )
    CentreSettings.objects.update_or_create(centre=lima, defaults={"suggestion_weight_subsector": Decimal("9")})

    assert idle_months() == 6
    assert idle_since(datetime.date(2026, 12, 4)) == datetime.date(2026, 6, 4)
    # A centre's own row replaces the default whole: its area weight is the built-in 2.
    assert (suggestion_weights(lima.pk)["subsector"], suggestion_weights(lima.pk)["area"]) == (9.0, 2.0)
    assert suggestion_weights(None)["area"] == 7.0
