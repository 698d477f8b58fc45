import pytest
from django.utils import translation

from clients.models import Need
from clients.tests.factories import NeedFactory
from core.exceptions import DomainError
from core.tests.concurrency import at_once
from training import services
from training.models import Attendance, Enrolment, FollowUp
from training.tests.factories import build_offering, person

pytestmark = pytest.mark.django_db


def _refused_in_spanish(call) -> str:
    with translation.override("es"), pytest.raises(DomainError) as caught:
        call()
    return str(caught.value)


def test_a_score_of_21_or_minus_1_is_refused_in_spanish_and_nothing_is_saved(lima, coordinator):
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-1)
    enrolment = services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    for bad in ("21", "-1"):
        message = _refused_in_spanish(
            lambda bad=bad: services.scores_record(
                user=coordinator, offering=offering, scores={enrolment.pk: ("12", bad)}
            )
        )
        assert "de 0 a 20" in message
    enrolment.refresh_from_db()
    assert enrolment.entry_score is None and enrolment.exit_score is None


def test_attendance_for_a_session_of_another_course_is_refused_and_nothing_is_saved(lima, coordinator):
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-1)
    other = build_offering("running", coordinator=coordinator, centre=lima, start_in=-1)
    enrolment = services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    own = offering.sessions.first()
    foreign = other.sessions.first()
    message = _refused_in_spanish(
        lambda: services.attendance_record(
            user=coordinator, offering=offering, marks=[(enrolment.pk, own.pk, True), (enrolment.pk, foreign.pk, True)]
        )
    )
    assert message == "Esa sesión pertenece a otro curso."
    assert not Attendance.objects.exists()


def test_nobody_enrols_in_a_cancelled_course(lima, coordinator, front_desk):
    offering = build_offering("cancelled", coordinator=coordinator, centre=lima)
    message = _refused_in_spanish(
        lambda: services.enrolment_create(user=front_desk, offering=offering, entrepreneur=person(lima))
    )
    assert "cancelado" in message
    assert not Enrolment.objects.exists()


def test_a_full_course_puts_people_on_the_waiting_list_and_a_withdrawal_promotes_the_first(lima, coordinator):
    offering = build_offering("open", coordinator=coordinator, centre=lima, capacity=1)
    first = services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    second = services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    third = services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    assert [first.status, second.status, third.status] == ["enrolled", "waiting", "waiting"]
    services.enrolment_withdraw(user=coordinator, enrolment=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("enrolled", "waiting")


def test_a_seat_answers_the_persons_open_training_needs(lima, coordinator):
    participant = person(lima, with_company=True)
    need = NeedFactory(company=participant.company, centre=lima, need_type="training")
    offering = build_offering("open", coordinator=coordinator, centre=lima)
    services.enrolment_create(user=coordinator, offering=offering, entrepreneur=participant)
    need.refresh_from_db()
    assert need.status == Need.Status.ANSWERED and offering.code in need.answered_by


def test_finishing_decides_completion_by_the_attendance_threshold_and_schedules_follow_ups(lima, coordinator, promoter):
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-8, sessions=4)
    keen = services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    absent = services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    sessions = list(offering.sessions.all())
    marks = [(keen.pk, s.pk, i < 3) for i, s in enumerate(sessions)]  # 75 %: exactly the default threshold
    marks += [(absent.pk, s.pk, i < 2) for i, s in enumerate(sessions)]  # 50 %
    services.attendance_record(user=coordinator, offering=offering, marks=marks)
    services.offering_set_status(user=coordinator, offering=offering, status="finished")
    keen.refresh_from_db()
    absent.refresh_from_db()
    assert keen.completed is True and len(keen.certificate_code) == 12
    assert absent.completed is False and absent.certificate_code is None
    followup = FollowUp.objects.get(enrolment=keen)
    assert (followup.due_on - offering.sessions.last().date).days == 30


def test_a_follow_up_that_wants_assistance_records_an_assistance_need(lima, coordinator, promoter):
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-8)
    enrolment = services.enrolment_create(
        user=coordinator, offering=offering, entrepreneur=person(lima, with_company=True)
    )
    services.offering_set_status(user=coordinator, offering=offering, status="finished")
    followup = FollowUp.objects.get(enrolment=enrolment)
    services.followup_record(
        user=promoter, followup=followup, date=offering.ends_on, result="partly", wants_assistance=True
    )
    need = Need.objects.get(need_type="assistance")
    assert need.company == enrolment.company and need.status == Need.Status.OPEN and need.source == "training"


@pytest.mark.django_db(transaction=True)
def test_more_people_than_seats_enrolling_at_once_end_with_exactly_the_capacity_enrolled(lima, coordinator):
    """Threads with their own connections; on PostgreSQL the offering row lock serialises them."""
    capacity, attempts = 3, 8
    offering = build_offering("open", coordinator=coordinator, centre=lima, capacity=capacity)
    people = [person(lima) for _ in range(attempts)]
    _, errors = at_once(
        *(lambda p=p: services.enrolment_create(user=coordinator, offering=offering, entrepreneur=p) for p in people)
    )
    assert not errors, errors
    statuses = list(Enrolment.objects.filter(offering=offering).values_list("status", flat=True))
    assert statuses.count("enrolled") == capacity
    assert statuses.count("waiting") == attempts - capacity


def test_more_seats_promote_the_waiting_list_in_the_order_people_joined_it(lima, coordinator):
    import datetime

    from django.utils import timezone

    offering = build_offering("open", coordinator=coordinator, centre=lima, capacity=1)
    services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima))
    later, earliest, middle, last = (
        services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(lima)) for _ in range(4)
    )
    # Who joined first counts, not the row's id.
    now = timezone.now()
    for enrolment, minutes in ((earliest, 40), (middle, 30), (later, 20), (last, 10)):
        Enrolment.objects.filter(pk=enrolment.pk).update(waiting_since=now - datetime.timedelta(minutes=minutes))

    services.offering_update(user=coordinator, offering=offering, fields={"capacity": 3})
    statuses = dict(Enrolment.objects.filter(offering=offering).values_list("pk", "status"))
    assert [statuses[e.pk] for e in (earliest, middle, later, last)] == ["enrolled", "enrolled", "waiting", "waiting"]

    services.enrolment_withdraw(user=coordinator, enrolment=earliest)
    statuses = dict(Enrolment.objects.filter(offering=offering).values_list("pk", "status"))
    assert [statuses[e.pk] for e in (earliest, middle, later, last)] == ["withdrawn", "enrolled", "enrolled", "waiting"]
