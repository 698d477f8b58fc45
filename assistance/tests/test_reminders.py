"""Evaluation and action-plan reminders: found by the daily scan, once per item and due date, to the promoter."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from assistance.models import Service, Stage
from assistance.tests.factories import ServiceFactory, build_service
from clients.tests.factories import CompanyFactory
from core.models import CentreSettings, Notification
from core.reminders import reminders_run
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


def evaluation_reminders():
    return Notification.objects.filter(kind="assistance.evaluation")


def test_a_due_evaluation_reminds_the_promoter_in_the_app_and_by_one_mail(lima, promoter, coordinator, consultant):
    # Built through the real workflow: execution ended 40 days ago, so the evaluation is due.
    service = build_service(
        Stage.EVALUATION, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )

    reminders_run()

    notification = evaluation_reminders().get()
    assert notification.recipient == promoter
    assert service.code in notification.message and notification.message.startswith("Evaluación")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [promoter.email]
    assert service.code in mail.outbox[0].body


def test_an_evaluation_due_within_a_week_is_reminded_and_one_further_off_is_not(lima):
    soon = in_evaluation(lima, 24)  # the window opens in 6 days
    in_evaluation(lima, 20)  # in 10 days

    reminders_run()

    notification = evaluation_reminders().get()
    assert notification.item == f"assistance.service:{soon.pk}"
    assert notification.due_on == soon.execution_ended_on + datetime.timedelta(days=30)


def test_an_overdue_evaluation_is_reminded_again_on_its_closing_date(lima):
    service = in_evaluation(lima, 61)  # the window (30 to 60 days) closed yesterday

    reminders_run()

    notification = evaluation_reminders().get()
    assert notification.due_on == service.execution_ended_on + datetime.timedelta(days=60)
    assert notification.message.startswith("Evaluación vencida")


def test_running_twice_reminds_once(lima):
    in_evaluation(lima, 40)
    in_evaluation(lima, 45)

    assert reminders_run()["created"] == 2
    assert reminders_run() == {"created": 0, "emails": 0}

    assert evaluation_reminders().count() == 2
    assert len(mail.outbox) == 2  # one per promoter, never again


def test_each_promoter_gets_the_reminders_of_their_own_services(lima):
    ana, luis = UserFactory(email="ana@cat.test"), UserFactory(email="luis@cat.test")
    ana_service = in_evaluation(lima, 40, promoter=ana)
    luis_service = in_evaluation(lima, 50, promoter=luis)

    reminders_run()

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert set(bodies) == {"ana@cat.test", "luis@cat.test"}
    assert ana_service.code in bodies["ana@cat.test"] and luis_service.code not in bodies["ana@cat.test"]
    assert luis_service.code in bodies["luis@cat.test"]


def test_services_in_other_stages_are_not_reminded(lima):
    for stage in (Stage.EXECUTION, Stage.CLOSED, Stage.CANCELLED):
        ServiceFactory(
            company=CompanyFactory(centre=lima),
            stage=stage,
            execution_ended_on=days_ago(40),
            cancel_reason="Duplicado" if stage == Stage.CANCELLED else "",
        )

    reminders_run()

    assert not evaluation_reminders().exists()
    assert mail.outbox == []


def test_a_promoter_without_email_sees_the_reminder_in_the_app_and_gets_the_mail_once_it_has_one(lima):
    no_address = UserFactory(email="")
    in_evaluation(lima, 40, promoter=no_address)

    assert reminders_run() == {"created": 1, "emails": 0}
    assert Notification.objects.get(recipient=no_address).emailed_at is None

    no_address.email = "rosa@cat.test"
    no_address.save(update_fields=["email"])

    assert reminders_run() == {"created": 0, "emails": 1}
    assert mail.outbox[-1].to == ["rosa@cat.test"]


def test_the_window_follows_the_centres_settings_record(lima):
    CentreSettings.objects.update_or_create(
        centre=lima, defaults={"evaluation_from_days": 55, "evaluation_until_days": 90}
    )
    in_evaluation(lima, 40)

    assert reminders_run()["created"] == 0

    CentreSettings.objects.filter(centre=lima).update(evaluation_from_days=45)
    assert reminders_run()["created"] == 1


def test_a_service_reopened_and_reported_again_is_reminded_of_its_new_window(lima, promoter, coordinator, consultant):
    from assistance.services.execution import report_submit, visit_log
    from assistance.services.workflow import service_reopen

    service = build_service(
        Stage.EVALUATION, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )
    reminders_run()
    service_reopen(user=coordinator, service=service, to_stage=Stage.EXECUTION, reason="Informe incompleto")
    visit_log(
        user=consultant, service=service, consultant=service.consultants.get(), date=days_ago(35), hours=2, notes="Más"
    )
    report_submit(user=consultant, service=service, summary="Completo", results="Merma 4 %", ended_on=days_ago(31))

    assert reminders_run()["created"] == 1
    assert evaluation_reminders().count() == 2
    assert len(mail.outbox) == 2


def test_late_and_coming_activities_of_a_service_in_execution_are_reminded(lima, promoter, coordinator, consultant):
    from assistance.models import Activity
    from assistance.tests.factories import ActivityFactory

    service = build_service(
        Stage.EXECUTION, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )
    Activity.objects.filter(service=service).update(planned_end=days_ago(-60), progress=0)
    late = ActivityFactory(service=service, planned_start=days_ago(20), planned_end=days_ago(2), progress=50)
    coming = ActivityFactory(service=service, planned_start=days_ago(5), planned_end=days_ago(-3), progress=0)
    ActivityFactory(service=service, planned_start=days_ago(20), planned_end=days_ago(1), progress=100)  # done

    reminders_run()

    overdue = Notification.objects.get(kind="assistance.activity_overdue")
    assert overdue.item == f"assistance.activity:{late.pk}" and overdue.recipient == promoter
    assert overdue.message.startswith("Actividad vencida")
    due = Notification.objects.get(kind="assistance.activity_due")
    assert (due.item, due.due_on) == (f"assistance.activity:{coming.pk}", days_ago(-3))
