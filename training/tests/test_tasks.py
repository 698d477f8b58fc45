import datetime

import pytest
from django.core import mail

from core.tests.factories import UserFactory
from training import services
from training.models import FollowUp
from training.tasks import send_followup_reminders
from training.tests.factories import build_offering, person

pytestmark = pytest.mark.django_db


def test_due_follow_ups_are_reminded_to_the_centres_promoters_once(lima, coordinator):
    UserFactory(username="promo_mail", email="promotora@cat.local", roles=["promoter"], centres=[lima])
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-40, sessions=1)
    services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    services.offering_set_status(user=coordinator, offering=offering, status="finished")
    followup = FollowUp.objects.get()
    assert followup.due_on == offering.ends_on + datetime.timedelta(days=30)
    assert send_followup_reminders() == 1
    assert send_followup_reminders() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["promotora@cat.local"]
    followup.refresh_from_db()
    assert followup.reminder_sent_at is not None
