"""The daily reminders: one row per person, item and due date; one digest e-mail per person; the bell."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core import reminders
from core.models import Notification
from core.reminders import Reminder, reminders_run
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture
def source(monkeypatch):
    """A reminder source standing in for an app's: whatever the test puts in ``items`` falls due."""
    items: list[Reminder] = []
    monkeypatch.setattr(reminders, "_sources", {"test.thing": lambda today: list(items)})
    return items


def _items(user, n, due=TODAY):
    return [Reminder(user.pk, f"test.thing:{i}", due, f"Cosa {i} por hacer", f"/things/{i}/") for i in range(n)]


def test_a_user_with_three_items_gets_one_email_listing_the_three(source, promoter, settings):
    settings.SITE_URL = "https://cat.example.pe"
    source.extend(_items(promoter, 3))

    assert reminders_run(today=TODAY) == {"created": 3, "emails": 1}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [promoter.email]
    assert message.subject == "Tus recordatorios: 3"
    for i in range(3):
        assert f"Cosa {i} por hacer" in message.body
        assert f"(https://cat.example.pe/things/{i}/)" in message.body  # a mail client has no page to be relative to
    assert "04/12/2026" in message.body


def test_running_twice_on_the_same_day_creates_and_sends_each_reminder_once(source, promoter, coordinator):
    source.extend(_items(promoter, 2) + _items(coordinator, 1))

    first = reminders_run(today=TODAY)
    second = reminders_run(today=TODAY)

    assert first == {"created": 3, "emails": 2}
    assert second == {"created": 0, "emails": 0}
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 2


def test_the_database_refuses_a_second_reminder_for_the_same_item_and_due_date(promoter):
    Notification.objects.create(recipient=promoter, kind="k", item="x:1", due_on=TODAY, message="m")
    with pytest.raises(IntegrityError):
        Notification.objects.create(recipient=promoter, kind="k", item="x:1", due_on=TODAY, message="m")


def test_a_new_due_date_for_the_same_item_is_a_new_reminder_and_the_next_digest_lists_only_it(source, promoter):
    source.extend(_items(promoter, 1))
    reminders_run(today=TODAY)
    source[:] = _items(promoter, 1, due=TODAY + datetime.timedelta(days=30))

    assert reminders_run(today=TODAY + datetime.timedelta(days=1)) == {"created": 1, "emails": 1}
    assert "03/01/2027" in mail.outbox[1].body and "04/12/2026" not in mail.outbox[1].body


def test_a_user_who_does_not_want_emails_sees_the_reminders_only_in_the_app(source, promoter):
    promoter.email_digest = False
    promoter.save(update_fields=["email_digest"])
    source.extend(_items(promoter, 2))

    assert reminders_run(today=TODAY) == {"created": 2, "emails": 0}
    assert mail.outbox == []


def test_the_management_command_runs_the_same_job(source, promoter, capsys):
    source.extend(_items(promoter, 2))

    call_command("send_reminders")

    assert "2 new reminder(s), 1 e-mail(s) sent." in capsys.readouterr().out
    assert Notification.objects.filter(recipient=promoter).count() == 2


def test_every_app_registers_its_sources():
    assert {
        "assistance.evaluation",
        "assistance.activity_due",
        "assistance.activity_overdue",
        "training.followup",
        "credit.instalment_due",
        "credit.instalment_overdue",
    } <= set(reminders.reminder_sources())


# --- The bell and the list ------------------------------------------------------------------------------


def _notify(user, n):
    return [
        Notification.objects.create(
            recipient=user, kind="test.thing", item=f"t:{i}", due_on=TODAY, message=f"Cosa {i}", url="/reports/"
        )
        for i in range(n)
    ]


def test_the_bell_shows_the_unread_count_without_an_extra_query(client_for, promoter):
    client = client_for(promoter)
    with CaptureQueriesContext(connection) as none:
        page = client.get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in page and "bi-bell-fill" not in page
    _notify(promoter, 3)
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("home")).content.decode()
    assert "Recordatorios: 3 sin leer" in page
    assert len(three.captured_queries) == len(none.captured_queries)


def test_marking_one_read_and_then_all_read_empties_the_bell(client_for, promoter):
    first, *_ = _notify(promoter, 3)
    client = client_for(promoter)

    response = client.post(reverse("notification_read", args=[first.pk]), {"open": "1"})
    assert response["Location"] == "/reports/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert "Recordatorios: 2 sin leer" in client.get(reverse("notification_list")).content.decode()

    client.post(reverse("notification_read_all"))
    assert not Notification.objects.filter(recipient=promoter, read_at__isnull=True).exists()


def test_nobody_reads_or_marks_another_persons_reminders(client_for, promoter, coordinator):
    theirs = _notify(coordinator, 1)[0]
    client = client_for(promoter)

    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notification_read_all"))
    assert "Cosa 0" not in client.get(reverse("notification_list")).content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_runs_a_fixed_number_of_queries(client_for, promoter):
    client = client_for(promoter)
    _notify(promoter, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notification_list"))
    Notification.objects.filter(recipient=promoter).delete()
    _notify(promoter, 30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("notification_list"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count("list-group-item-warning") == 25


def test_the_email_preference_is_the_users_own_choice(client_for, promoter):
    client_for(promoter).post(reverse("notification_preferences"), {})
    promoter.refresh_from_db()
    assert promoter.email_digest is False
    client_for(promoter).post(reverse("notification_preferences"), {"email_digest": "on"})
    promoter.refresh_from_db()
    assert promoter.email_digest is True


def test_the_api_lists_and_marks_only_the_callers_reminders(promoter, coordinator):
    mine = _notify(promoter, 2)
    _notify(coordinator, 1)
    api = APIClient()
    api.force_authenticate(promoter)

    listed = api.get(reverse("notification-list")).json()
    assert {row["id"] for row in listed["results"]} == {n.pk for n in mine}
    assert api.post(reverse("notification-read", args=[mine[0].pk])).json()["read_at"] is not None
    other = Notification.objects.get(recipient=coordinator)
    assert api.post(reverse("notification-read", args=[other.pk])).status_code == 404
    assert api.post(reverse("notification-read-all")).json() == {"marked": 1}


def test_a_user_account_without_reminders_still_loads_with_a_zero_count(promoter):
    from core.backends import UserBackend

    assert UserBackend().get_user(promoter.pk).unread_notifications == 0
    assert UserBackend().get_user(UserFactory(is_active=False).pk) is None
