"""Purchases of winning plans at risk, late or over the two-year limit are reminded to those who follow the
purchases of the plan's centre (its coordinators and administrators), once per purchase and due date."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from core.reminders import reminders_collect, reminders_run
from core.roles import Role
from core.tests.factories import UserFactory
from funds import services
from funds.models import Purchase

pytestmark = pytest.mark.django_db

D = datetime.date
# conftest's purchase: required on 5 Jan 2026 with 100 planned days, so at risk from 21 Mar,
# late from 16 Apr and over the two-year limit from 6 Jan 2028.
DUE = D(2026, 4, 15)  # the planned delivery


def kinds_of(user) -> list[tuple[str, str, datetime.date]]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", "item", "due_on"))


def test_a_purchase_at_risk_is_reminded_once_to_the_centres_coordinator_and_administrator(
    purchase, coordinator, administrator, promoter, huancayo
):
    elsewhere = UserFactory(username="coord-hyo", roles=[Role.COORDINATOR], centres=[huancayo])

    assert reminders_collect(today=D(2026, 3, 20)) == 0  # day 74 of 100: not yet
    assert reminders_collect(today=D(2026, 3, 21)) == 2  # day 75: at risk
    assert reminders_collect(today=D(2026, 3, 21)) == 0  # the scan again the same day
    assert reminders_collect(today=D(2026, 4, 1)) == 0  # and on the following days: the same due date

    item = f"funds.purchase:{purchase.pk}"
    assert kinds_of(coordinator) == kinds_of(administrator) == [("funds.purchase_at_risk", item, DUE)]
    assert not Notification.objects.filter(recipient__in=[promoter, elsewhere]).exists()
    reminder = Notification.objects.get(recipient=coordinator)
    assert reminder.message.startswith("Compra en riesgo: Tostadora, ")
    assert "(75 de 100 días, vence el 15/04/2026)" in reminder.message
    assert reminder.url == reverse("funds:plan_detail", args=[purchase.plan_id])


def test_a_late_purchase_is_reminded_again_as_late_and_after_two_years_as_over_the_limit(purchase, coordinator):
    reminders_collect(today=D(2026, 4, 1))  # at risk
    reminders_collect(today=D(2026, 4, 16))  # late
    reminders_collect(today=D(2026, 9, 1))  # still late: nothing new
    reminders_collect(today=D(2028, 1, 6))  # over the two-year limit

    item = f"funds.purchase:{purchase.pk}"
    assert kinds_of(coordinator) == [
        ("funds.purchase_at_risk", item, DUE),
        ("funds.purchase_late", item, DUE),
        ("funds.purchase_over_limit", item, D(2028, 1, 5)),
    ]


def test_new_planned_days_move_the_due_date_and_the_new_one_is_reminded(purchase, coordinator):
    reminders_collect(today=D(2026, 4, 16))  # late for 15 Apr
    Purchase.objects.filter(pk=purchase.pk).update(planned_days=110)  # the term corrected in the admin

    reminders_collect(today=D(2026, 4, 20))  # day 105 of 110: at risk of the new date
    reminders_collect(today=D(2026, 4, 26))  # day 111: late again, for the new date

    assert [(kind, due) for kind, _item, due in kinds_of(coordinator)] == [
        ("funds.purchase_at_risk", D(2026, 4, 25)),
        ("funds.purchase_late", DUE),
        ("funds.purchase_late", D(2026, 4, 25)),
    ]


def test_a_delivered_purchase_or_one_on_time_is_not_reminded(purchase, coordinator):
    assert reminders_collect(today=D(2026, 2, 1)) == 0  # on time
    for kind, on in (("call", D(2026, 2, 1)), ("award", D(2026, 3, 1)), ("delivery", D(2026, 3, 10))):
        services.purchase_step_record(user=coordinator, purchase=purchase, kind=kind, date=on)
    assert reminders_collect(today=D(2026, 6, 1)) == 0  # delivered: never late
    assert not Notification.objects.exists()


def test_the_daily_run_twice_sends_one_digest(purchase, coordinator, administrator):
    # The fixture's purchase is long over its days today: late (or over the limit), whichever it is.
    first = reminders_run()
    second = reminders_run()
    assert first["created"] == 2 and second == {"created": 0, "emails": 0}
    assert len(mail.outbox) == 2  # one e-mail each to the coordinator and the administrator
    assert all("Tostadora" in message.body for message in mail.outbox)
