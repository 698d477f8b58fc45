"""The evaluation reminder: once per service, to its promoter, when the evaluation falls due."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from assistance.models import Service, Stage
from assistance.tasks import send_evaluation_reminders
from assistance.tests.factories import ServiceFactory, build_service
from clients.tests.factories import CompanyFactory
from core.models import CentreSettings
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def in_evaluation(centre, ended_days_ago: int, promoter=None, **kwargs) -> Service:
    return ServiceFactory(
        company=CompanyFactory(centre=centre),
        stage=Stage.EVALUATION,
        execution_ended_on=days_ago(ended_days_ago),
        promoter=promoter or UserFactory(),
        **kwargs,
    )


def test_a_due_evaluation_sends_one_mail_to_the_promoter(lima, promoter, coordinator, consultant):
    # Built through the real workflow: execution ended 40 days ago, so the evaluation is due.
    service = build_service(
        Stage.EVALUATION, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )

    sent = send_evaluation_reminders.delay().get(timeout=5)

    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [promoter.email]
    assert service.code in message.subject
    assert service.code in message.body
    service.refresh_from_db()
    assert timezone.now() - service.evaluation_reminder_sent_at < datetime.timedelta(minutes=1)


def test_the_reminder_is_written_in_the_centres_language_whatever_the_active_one(lima, settings, monkeypatch):
    # Record the language each string is translated in, whatever the catalogue holds today.
    monkeypatch.setattr("assistance.tasks._", lambda text: f"[{translation.get_language()}] {text}")
    in_evaluation(lima, 40)

    with translation.override("en"):
        send_evaluation_reminders.delay()

    assert settings.LANGUAGE_CODE == "es"
    assert mail.outbox[0].subject.startswith("[es] Evaluation due: SAT-")
    assert mail.outbox[0].body.startswith("[es] ")


def test_an_evaluation_not_yet_due_sends_nothing(lima):
    service = in_evaluation(lima, 29)

    assert send_evaluation_reminders.delay().get(timeout=5) == 0

    assert mail.outbox == []
    service.refresh_from_db()
    assert service.evaluation_reminder_sent_at is None


def test_the_reminder_goes_out_the_day_the_window_opens(lima):
    in_evaluation(lima, 30)

    assert send_evaluation_reminders.delay().get(timeout=5) == 1


def test_running_twice_sends_once(lima):
    in_evaluation(lima, 40)
    in_evaluation(lima, 45)

    assert send_evaluation_reminders.delay().get(timeout=5) == 2
    assert send_evaluation_reminders.delay().get(timeout=5) == 0

    assert len(mail.outbox) == 2


def test_each_promoter_gets_the_reminders_of_their_own_services(lima):
    ana, luis = UserFactory(email="ana@cat.test"), UserFactory(email="luis@cat.test")
    ana_service = in_evaluation(lima, 40, promoter=ana)
    luis_service = in_evaluation(lima, 50, promoter=luis)

    send_evaluation_reminders.delay()

    recipients = {message.to[0]: message.subject for message in mail.outbox}
    assert set(recipients) == {"ana@cat.test", "luis@cat.test"}
    assert ana_service.code in recipients["ana@cat.test"]
    assert luis_service.code in recipients["luis@cat.test"]


def test_services_in_other_stages_are_not_reminded(lima):
    for stage in (Stage.EXECUTION, Stage.CLOSED, Stage.CANCELLED):
        ServiceFactory(
            company=CompanyFactory(centre=lima),
            stage=stage,
            execution_ended_on=days_ago(40),
            cancel_reason="Duplicado" if stage == Stage.CANCELLED else "",
        )

    assert send_evaluation_reminders.delay().get(timeout=5) == 0
    assert mail.outbox == []


def test_a_service_already_reminded_is_not_reminded_again(lima):
    earlier = timezone.now() - datetime.timedelta(days=3)
    service = in_evaluation(lima, 40, evaluation_reminder_sent_at=earlier)

    assert send_evaluation_reminders.delay().get(timeout=5) == 0

    service.refresh_from_db()
    assert service.evaluation_reminder_sent_at == earlier


def test_a_promoter_without_email_is_skipped_and_reminded_once_it_has_one(lima):
    no_address = UserFactory(email="")
    service = in_evaluation(lima, 40, promoter=no_address)
    in_evaluation(lima, 40)

    assert send_evaluation_reminders.delay().get(timeout=5) == 1
    service.refresh_from_db()
    assert service.evaluation_reminder_sent_at is None

    no_address.email = "rosa@cat.test"
    no_address.save(update_fields=["email"])

    assert send_evaluation_reminders.delay().get(timeout=5) == 1
    assert mail.outbox[-1].to == ["rosa@cat.test"]


def test_the_window_follows_the_centres_settings_record(lima, huancayo):
    CentreSettings.objects.update_or_create(
        centre=lima, defaults={"evaluation_from_days": 45, "evaluation_until_days": 90}
    )
    in_evaluation(lima, 40)

    assert send_evaluation_reminders.delay().get(timeout=5) == 0

    CentreSettings.objects.filter(centre=lima).update(evaluation_from_days=35)
    assert send_evaluation_reminders.delay().get(timeout=5) == 1


def test_the_task_is_found_by_the_worker_under_the_name_beat_schedules():
    from cat_center.celery import app

    app.loader.import_default_modules()

    assert "assistance.tasks.send_evaluation_reminders" in app.tasks


def test_a_service_reopened_and_reported_again_is_reminded_of_its_new_window(lima, promoter, coordinator, consultant):
    from assistance.services.execution import report_submit, visit_log
    from assistance.services.workflow import service_reopen

    service = build_service(
        Stage.EVALUATION, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )
    send_evaluation_reminders.delay()
    service_reopen(user=coordinator, service=service, to_stage=Stage.EXECUTION, reason="Informe incompleto")
    visit_log(
        user=consultant, service=service, consultant=service.consultants.get(), date=days_ago(35), hours=2, notes="Más"
    )
    report_submit(user=consultant, service=service, summary="Completo", results="Merma 4 %", ended_on=days_ago(31))

    assert send_evaluation_reminders.delay().get(timeout=5) == 1
    assert len(mail.outbox) == 2
