"""Instalments due in three days and overdue are reminded to the operator's credit officers, once each."""

import datetime

import pytest
from django.core import mail

from core.models import Notification
from core.reminders import reminders_collect, reminders_run
from credit.tests.factories import disbursed_loan

pytestmark = pytest.mark.django_db


def test_an_instalment_due_in_three_days_and_an_overdue_one_are_reminded_to_the_credit_officer(product, credit_officer):
    loan = disbursed_loan(product, credit_officer, months=6, on=datetime.date(2024, 2, 1))
    first, second = loan.instalments.order_by("number")[:2]
    today = second.due_date - datetime.timedelta(days=3)  # the first is a month late, the second due in three days

    reminders_collect(today=today)

    due = Notification.objects.get(kind="credit.instalment_due")
    overdue = Notification.objects.get(kind="credit.instalment_overdue")
    assert (due.item, due.due_on, due.recipient) == (f"credit.instalment:{second.pk}", second.due_date, credit_officer)
    assert overdue.item == f"credit.instalment:{first.pk}" and overdue.recipient == credit_officer
    assert loan.code in due.message and "S/" in due.message
    assert overdue.message.startswith("Cuota vencida")


def test_the_daily_run_twice_on_the_same_day_reminds_each_instalment_once(product, credit_officer):
    disbursed_loan(product, credit_officer, months=3, on=datetime.date(2024, 2, 1))

    first = reminders_run()
    second = reminders_run()

    assert first["created"] == 3  # the three instalments of 2024 are long overdue
    assert second == {"created": 0, "emails": 0}
    assert Notification.objects.filter(recipient=credit_officer).count() == 3
    assert len(mail.outbox) == 1  # one digest listing the three
    assert all(f"#{n}" in mail.outbox[0].body for n in (1, 2, 3))
