import datetime

import pytest
from django.core import mail

from core.models import Notification
from core.reminders import reminders_run
from core.tests.factories import UserFactory
from training import services
from training.models import FollowUp
from training.tests.factories import build_offering, person

pytestmark = pytest.mark.django_db


def test_due_follow_ups_are_reminded_to_the_centres_promoters_once(lima, huancayo, coordinator):
    promoter = UserFactory(username="promo_mail", email="promotora@cat.local", roles=["promoter"], centres=[lima])
    UserFactory(username="promo_hyo", email="hyo@cat.local", roles=["promoter"], centres=[huancayo])
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-40, sessions=1)
    services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    services.offering_set_status(user=coordinator, offering=offering, status="finished")
    followup = FollowUp.objects.get()
    assert followup.due_on == offering.ends_on + datetime.timedelta(days=30)

    assert reminders_run()["created"] == 1
    assert reminders_run()["created"] == 0

    notification = Notification.objects.get(kind="training.followup")
    assert notification.recipient == promoter and notification.item == f"training.followup:{followup.pk}"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["promotora@cat.local"]
    assert offering.module.name in mail.outbox[0].body
