"""The directory's API: who may read and keep it (the same policy as the pages), scoping and validation."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from consultants.models import Consultant
from consultants.tests.factories import ConsultantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user():
    def sign_in(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return sign_in


def test_a_promoter_cannot_read_the_directory(as_user, promoter, lima):
    ConsultantFactory(centres=[lima])
    assert as_user(promoter).get(reverse("consultant-list")).status_code == 403


def test_a_coordinator_does_not_see_consultants_of_another_centre(as_user, coordinator, lima, huancayo):
    ours = ConsultantFactory(centres=[lima])
    theirs = ConsultantFactory(centres=[huancayo])
    api = as_user(coordinator)
    ids = [row["id"] for row in api.get(reverse("consultant-list")).json()["results"]]
    assert ids == [ours.pk]
    assert api.get(reverse("consultant-detail", args=[theirs.pk])).status_code == 404


def test_an_administrator_adds_a_consultant_who_starts_as_proposed(as_user, administrator, lima):
    payload = {
        "first_name": "Rosa",
        "last_name": "Quispe",
        "hourly_fee": "45.00",
        "centres": [lima.pk],
        "areas": ["production"],
    }
    response = as_user(administrator).post(reverse("consultant-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "proposed"
    assert body["areas"] == ["production"]
    assert body["services_done"] == 0
    consultant = Consultant.objects.get(pk=body["id"])
    assert list(consultant.centres.all()) == [lima]

    changed = as_user(administrator).patch(
        reverse("consultant-detail", args=[consultant.pk]), {"hourly_fee": "50"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["hourly_fee"] == "50.00"
    assert changed.json()["centres"] == [lima.pk]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hourly_fee": "-1"}, "hourly_fee"),
        ({"hourly_fee": "abc"}, "hourly_fee"),
        ({"centres": []}, "centres"),
        ({"areas": ["cooking"]}, "areas"),
    ],
)
def test_a_malformed_consultant_is_refused_at_its_field(as_user, administrator, lima, overrides, field):
    payload = {"first_name": "Rosa", "last_name": "Quispe", "centres": [lima.pk], **overrides}
    response = as_user(administrator).post(reverse("consultant-list"), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Consultant.objects.exists()


def test_a_coordinator_cannot_change_the_directory(as_user, coordinator, lima):
    profile = ConsultantFactory(centres=[lima])
    payload = {"first_name": "R", "last_name": "Q", "centres": [lima.pk]}
    api = as_user(coordinator)
    assert api.post(reverse("consultant-list"), payload, format="json").status_code == 403
    patch = api.patch(reverse("consultant-detail", args=[profile.pk]), {"hourly_fee": "1"}, format="json")
    assert patch.status_code == 403


@pytest.mark.parametrize("fixture", ["promoter", "consultant", "front_desk", "credit_officer"])
def test_staff_outside_the_directory_get_403_on_the_api_as_on_the_page(request, as_user, client_for, fixture, lima):
    entry = ConsultantFactory(centres=[lima])
    user = request.getfixturevalue(fixture)
    api = as_user(user)
    assert api.get(reverse("consultant-list")).status_code == 403
    assert api.get(reverse("consultant-detail", args=[entry.pk])).status_code == 403
    assert client_for(user).get(reverse("consultants:consultant_list")).status_code == 403


def test_a_refused_write_through_the_api_changes_nothing(as_user, coordinator, lima):
    entry = ConsultantFactory(centres=[lima], profession="Economista", hourly_fee="40.00")
    api = as_user(coordinator)

    response = api.put(
        reverse("consultant-detail", args=[entry.pk]),
        {"first_name": "X", "last_name": "Y", "profession": "Abogada", "centres": [lima.pk]},
        format="json",
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.first_name != "X", entry.profession) == (True, "Economista")
    assert entry.history.count() == 1


@pytest.mark.parametrize(
    ("fixture", "reads", "writes"),
    [
        ("administrator", True, True),
        ("coordinator", True, False),
        ("national_manager", True, False),
        ("promoter", False, False),
        ("consultant", False, False),
    ],
)
def test_page_and_api_give_the_same_answer_for_every_role(request, as_user, client_for, lima, fixture, reads, writes):
    user = request.getfixturevalue(fixture)
    entry = ConsultantFactory(centres=[lima])
    page = client_for(user)
    api = as_user(user)

    assert (page.get(reverse("consultants:consultant_list")).status_code == 200) is reads
    assert (api.get(reverse("consultant-list")).status_code == 200) is reads
    assert (page.get(reverse("consultants:consultant_create")).status_code == 200) is writes
    patch = api.patch(reverse("consultant-detail", args=[entry.pk]), {"notes": "x"}, format="json")
    assert (patch.status_code == 200) is writes
    assert patch.status_code in (200, 403)
