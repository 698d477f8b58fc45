import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from training import services
from training.tests.factories import build_offering, person

pytestmark = pytest.mark.django_db


def test_the_public_calendar_shows_open_courses_without_login_and_no_participant_name(client, lima, coordinator):
    offering = build_offering("open", coordinator=coordinator, centre=lima, capacity=5)
    participant = person(lima, first_name="Zenobia", last_name="Quispeyupanqui")
    services.enrolment_create(user=coordinator, offering=offering, entrepreneur=participant)
    response = client.get(reverse("training:public_calendar"))
    body = response.content.decode()
    assert response.status_code == 200
    assert offering.module.name in body and 'data-seats-left="4"' in body
    assert "Zenobia" not in body and "Quispeyupanqui" not in body
    feed = client.get(reverse("training:public_calendar_ics"))
    assert feed["Content-Type"].startswith("text/calendar")
    assert feed.content.decode().count("BEGIN:VEVENT") == 4 and "Zenobia" not in feed.content.decode()


def test_the_public_calendar_runs_the_same_queries_for_one_course_or_many(client, lima, huancayo, coordinator):
    build_offering("open", coordinator=coordinator, centre=lima)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("training:public_calendar"))
    for centre in (lima, huancayo, lima):
        offering = build_offering("open", coordinator=coordinator, centre=centre)
        services.enrolment_create(user=coordinator, offering=offering, entrepreneur=person(centre))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("training:public_calendar"))
    assert response.content.decode().count("<article") == 4
    assert len(many) == len(one)


def test_a_certificate_code_confirms_the_participant_only_when_valid(client, lima, coordinator):
    offering = build_offering("running", coordinator=coordinator, centre=lima, start_in=-8, sessions=1)
    enrolment = services.enrolment_create(
        user=coordinator, offering=offering, entrepreneur=person(lima, first_name="Rosa", last_name="Huamán")
    )
    services.attendance_record(
        user=coordinator, offering=offering, marks=[(enrolment.pk, offering.sessions.get().pk, True)]
    )
    services.offering_set_status(user=coordinator, offering=offering, status="finished")
    enrolment.refresh_from_db()
    valid = client.get(reverse("training:certificate_verify"), {"code": enrolment.certificate_code})
    assert "Rosa Huamán" in valid.content.decode() and offering.module.name in valid.content.decode()
    invalid = client.get(reverse("training:certificate_verify"), {"code": "ZZZZZZZZZZZZ"})
    assert invalid.status_code == 404 and "Rosa" not in invalid.content.decode()


def test_the_courses_list_runs_a_fixed_number_of_queries_and_hides_other_centres(
    client_for, lima, huancayo, coordinator, front_desk
):
    for _ in range(3):
        build_offering("open", coordinator=coordinator, centre=lima)
    other = build_offering("open", coordinator=coordinator, centre=huancayo)
    client = client_for(front_desk)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:offering_list"))
    for _ in range(27):
        build_offering("planned", coordinator=coordinator, centre=lima, sessions=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("training:offering_list"))
    assert len(many) == len(few)
    assert other.code not in response.content.decode()
    assert client.get(reverse("training:offering_detail", args=[other.pk])).status_code == 404


def test_only_coordinators_plan_courses_and_the_front_desk_enrols(client_for, lima, coordinator, front_desk, promoter):
    offering = build_offering("open", coordinator=coordinator, centre=lima)
    assert client_for(front_desk).get(reverse("training:offering_create")).status_code == 403
    response = client_for(front_desk).post(
        reverse("training:enrol", args=[offering.pk]), {"entrepreneur": person(lima).pk}
    )
    assert response.status_code == 302 and offering.enrolments.count() == 1
    assert client_for(promoter).get(reverse("training:demand")).status_code == 403


def test_courses_appear_in_the_company_timeline_only_for_users_who_may_see_courses(
    client_for, coordinator, promoter_huancayo, credit_officer, huancayo
):
    from clients.tests.factories import CompanyFactory, EntrepreneurFactory

    huancayo_coordinator = coordinator
    huancayo_coordinator.centres.add(huancayo)  # so that the course is planned at Huancayo through the services
    offering = build_offering("open", coordinator=huancayo_coordinator, centre=huancayo)
    company = CompanyFactory(centre=huancayo)
    services.enrolment_create(
        user=huancayo_coordinator,
        offering=offering,
        entrepreneur=EntrepreneurFactory(centre=huancayo, company=company),
    )
    url = reverse("clients:company_detail", args=[company.pk])
    seen = client_for(promoter_huancayo).get(url)
    assert [str(e.kind) for e in seen.context["timeline"]] == ["Curso"]
    assert reverse("training:offering_detail", args=[offering.pk]) in seen.content.decode()
    # The credit officer reads the company but not the training records.
    hidden = client_for(credit_officer).get(url)
    assert hidden.status_code == 200 and not [e for e in hidden.context["timeline"] if str(e.kind) == "Curso"]
    assert reverse("training:offering_detail", args=[offering.pk]) not in hidden.content.decode()


def test_the_training_section_opens_on_the_course_list(client_for, front_desk):
    response = client_for(front_desk).get("/training/")
    assert response.status_code == 302 and response["Location"] == reverse("training:offering_list")


def _without_instructor(coordinator, centre):
    offering = build_offering("planned", coordinator=coordinator, centre=centre, sessions=1)
    return services.offering_update(user=coordinator, offering=offering, fields={"instructor_user": None})


def test_the_coordinator_names_a_suggested_instructor_with_one_click(client_for, coordinator, lima):
    from consultants.tests.factories import ConsultantFactory

    offering = _without_instructor(coordinator, lima)
    chosen = ConsultantFactory(centres=[lima], first_name="Teodoro", last_name="Ccori")
    client = client_for(coordinator)
    page = client.get(reverse("training:offering_detail", args=[offering.pk])).content.decode()
    assert (
        f'data-suggestion="{chosen.pk}"' in page and reverse("training:offering_instructor", args=[offering.pk]) in page
    )
    response = client.post(reverse("training:offering_instructor", args=[offering.pk]), {"consultant": chosen.pk})
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.instructor_consultant == chosen and offering.instructor_user is None
    page = client.get(reverse("training:offering_detail", args=[offering.pk])).content.decode()
    assert "Teodoro Ccori" in page and "data-suggestion=" not in page


def test_only_a_validated_consultant_of_the_centre_is_named_and_only_by_the_coordinator(
    client_for, coordinator, front_desk, lima, huancayo
):
    from consultants.models import Consultant
    from consultants.tests.factories import ConsultantFactory

    offering = _without_instructor(coordinator, lima)
    url = reverse("training:offering_instructor", args=[offering.pk])
    good = ConsultantFactory(centres=[lima])
    assert client_for(front_desk).post(url, {"consultant": good.pk}).status_code == 403
    elsewhere = ConsultantFactory(centres=[huancayo])
    assert client_for(coordinator).post(url, {"consultant": elsewhere.pk}).status_code == 404
    pending = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED)
    response = client_for(coordinator).post(url, {"consultant": pending.pk}, follow=True)
    assert "Solo un consultor validado" in response.content.decode()
    offering.refresh_from_db()
    assert offering.instructor_consultant is None
