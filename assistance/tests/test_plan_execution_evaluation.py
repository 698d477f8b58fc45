"""The action plan, the execution (visits, technical report) and the evaluation that closes a service."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from assistance.models import Activity, Evaluation, Indicator, Stage, TechnicalReport, Visit
from assistance.services.evaluation import evaluation_record, evaluation_window
from assistance.services.execution import report_submit, visit_log
from assistance.services.plan import (
    activity_add,
    activity_delete,
    activity_set_progress,
    indicator_add,
    indicator_delete,
)
from assistance.services.workflow import service_reopen
from assistance.tests.factories import (
    BUILD_ENDED_DAYS_AGO,
    ConsultantFactory,
    ImprovementFactory,
    build_service,
    coordinator_user,
    service_snapshot,
)
from clients.models import Need, NeedType
from core.exceptions import DomainError
from core.models import CentreSettings

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def build(lima, promoter, coordinator, consultant):
    def make(stage, **kwargs):
        return build_service(
            stage, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima, **kwargs
        )

    return make


def days_ago(n: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=n)


# --- Action plan: activities -------------------------------------------------------------------------


def add_activity(service, start, end, hours="8", description="Calibrar el horno"):
    return activity_add(
        user=coordinator_user(),
        service=service,
        description=description,
        responsible="Consultor",
        planned_start=start,
        planned_end=end,
        planned_hours=Decimal(hours),
    )


def test_an_activity_of_one_day_is_accepted(build):
    service = build(Stage.ACTION_PLAN)

    activity = add_activity(service, TODAY(), TODAY())

    assert activity.planned_start == activity.planned_end
    assert list(service.activities.all()) == [activity]


def test_an_activity_ending_before_it_starts_is_refused(build):
    service = build(Stage.ACTION_PLAN)

    with pytest.raises(DomainError) as refusal:
        add_activity(service, TODAY(), days_ago(1))

    assert refusal.value.field == "planned_end"
    assert not service.activities.exists()


@pytest.mark.parametrize(
    ("description", "hours", "field"), [("  ", "8", "description"), ("Calibrar", "-1", "planned_hours")]
)
def test_an_activity_needs_a_description_and_hours_not_negative(build, description, hours, field):
    service = build(Stage.ACTION_PLAN)

    with pytest.raises(DomainError) as refusal:
        add_activity(service, TODAY(), TODAY(), hours=hours, description=description)

    assert refusal.value.field == field
    assert not service.activities.exists()


def test_activities_are_planned_only_in_the_action_plan_stage(build):
    service = build(Stage.EXECUTION)
    activity = service.activities.get()

    with pytest.raises(DomainError, match="only be done while the service is in"):
        add_activity(service, TODAY(), TODAY())
    with pytest.raises(DomainError, match="only be done while the service is in"):
        activity_delete(user=coordinator_user(), activity=activity)

    assert list(Activity.objects.filter(service=service)) == [activity]


def test_progress_is_kept_during_execution_from_0_to_100(build):
    activity = build(Stage.EXECUTION).activities.get()

    activity_set_progress(user=coordinator_user(), activity=activity, progress=100)
    with pytest.raises(DomainError):
        activity_set_progress(user=coordinator_user(), activity=activity, progress=101)

    activity.refresh_from_db()
    assert activity.progress == 100


# --- Action plan: indicators ---------------------------------------------------------------------------


def add_indicator(service, baseline="15", target="5", **kwargs):
    return indicator_add(
        user=coordinator_user(),
        service=service,
        name="Merma",
        unit="%",
        baseline=Decimal(baseline),
        target=Decimal(target),
        **kwargs,
    )


@pytest.mark.parametrize(("baseline", "target"), [("15", "15"), ("15", "15.00"), ("0", "0")])
def test_an_indicator_whose_target_is_its_baseline_is_refused(build, baseline, target):
    service = build(Stage.ACTION_PLAN)

    with pytest.raises(DomainError) as refusal:
        add_indicator(service, baseline, target)

    assert refusal.value.field == "target"
    assert not service.indicators.exists()


def test_an_indicator_cannot_measure_an_improvement_of_another_service(build):
    service = build(Stage.ACTION_PLAN)
    foreign = ImprovementFactory()

    with pytest.raises(DomainError) as refusal:
        add_indicator(service, improvement=foreign)

    assert refusal.value.field == "improvement"
    assert not service.indicators.exists()


def test_an_indicator_may_measure_an_improvement_of_its_own_service(build):
    service = build(Stage.ACTION_PLAN)
    own = service.improvements.get()

    indicator = add_indicator(service, "100", "150", improvement=own)

    assert indicator.improvement == own


@pytest.mark.parametrize(("name", "unit"), [("", "%"), ("Merma", " ")])
def test_an_indicator_needs_a_name_and_a_unit(build, name, unit):
    service = build(Stage.ACTION_PLAN)

    with pytest.raises(DomainError):
        indicator_add(
            user=coordinator_user(), service=service, name=name, unit=unit, baseline=Decimal("1"), target=Decimal("2")
        )

    assert not service.indicators.exists()


def test_indicators_are_fixed_once_execution_starts(build):
    service = build(Stage.EXECUTION)
    indicator = service.indicators.get()

    with pytest.raises(DomainError):
        add_indicator(service, "1", "2")
    with pytest.raises(DomainError):
        indicator_delete(user=coordinator_user(), indicator=indicator)

    assert list(Indicator.objects.filter(service=service)) == [indicator]


@pytest.mark.parametrize(
    ("baseline", "target", "measured", "reached"),
    [
        # An increasing target: units per batch from 100 to 150.
        ("100", "150", "150", True),
        ("100", "150", "180", True),
        ("100", "150", "149.99", False),
        ("100", "150", "90", False),
        # A decreasing target: waste from 15 % to 5 %.
        ("15", "5", "5", True),
        ("15", "5", "3", True),
        ("15", "5", "5.01", False),
        ("15", "5", "20", False),
        ("15", "5", None, None),
    ],
)
def test_an_indicator_reaches_its_target_in_the_direction_the_target_lies(baseline, target, measured, reached):
    indicator = Indicator(
        baseline=Decimal(baseline), target=Decimal(target), measured_value=Decimal(measured) if measured else None
    )

    assert indicator.target_reached is reached


# --- Execution: visits ----------------------------------------------------------------------------------


@pytest.fixture
def execution(build):
    """A service in execution, its consultant assigned, no visit yet."""
    return build(Stage.EXECUTION)


def log(service, consultant=None, date=None, hours="4", notes="Calibración del horno"):
    return visit_log(
        user=service.consultants.get().user,
        service=service,
        consultant=consultant or service.consultants.get(),
        date=date or TODAY(),
        hours=Decimal(hours),
        notes=notes,
    )


def test_the_assigned_consultant_logs_a_visit(execution):
    visit = log(execution, date=days_ago(3), hours="24", notes="  Ajuste del horno ")

    assert (visit.date, visit.hours, visit.notes) == (days_ago(3), Decimal("24"), "Ajuste del horno")
    assert visit.consultant == execution.consultants.get()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"date": TODAY() + datetime.timedelta(days=1)}, "date"),
        ({"hours": "0"}, "hours"),
        ({"hours": "-2"}, "hours"),
        ({"hours": "25"}, "hours"),
        ({"hours": "24.01"}, "hours"),
        ({"notes": "  "}, "notes"),
    ],
    ids=["future", "0h", "negative", "25h", "24.01h", "no-notes"],
)
def test_a_visit_must_be_in_the_past_within_a_day_and_say_what_was_done(execution, kwargs, field):
    with pytest.raises(DomainError) as refusal:
        log(execution, **kwargs)

    assert refusal.value.field == field
    assert not Visit.objects.filter(service=execution).exists()


def test_a_consultant_not_assigned_to_the_service_cannot_log_a_visit(execution, lima):
    outsider = ConsultantFactory(centres=[lima])

    with pytest.raises(DomainError) as refusal:
        log(execution, consultant=outsider)

    assert refusal.value.field == "consultant"
    assert not Visit.objects.exists()


def test_visits_are_logged_only_during_execution(build):
    service = build(Stage.ACTION_PLAN, ready=True)

    with pytest.raises(DomainError, match="only be done while the service is in"):
        log(service)

    assert not Visit.objects.exists()


# --- Execution: the technical report ---------------------------------------------------------------------


def test_the_technical_report_moves_the_service_to_evaluation_and_dates_the_end_of_execution(execution):
    log(execution, date=days_ago(5))
    consultant_user = execution.consultants.get().user

    report = report_submit(
        user=consultant_user,
        service=execution,
        summary=" Se calibró el horno ",
        results="Merma de 15 % a 6 %",
        ended_on=days_ago(2),
    )

    execution.refresh_from_db()
    assert execution.stage == Stage.EVALUATION
    assert execution.execution_ended_on == days_ago(2)
    assert (report.summary, report.submitted_by) == ("Se calibró el horno", consultant_user)
    change = execution.changes.last()
    assert (change.from_stage, change.to_stage, change.by) == (Stage.EXECUTION, Stage.EVALUATION, consultant_user)


def test_execution_ends_today_when_no_end_date_is_given(execution):
    log(execution)

    report_submit(user=execution.consultants.get().user, service=execution, summary="S", results="R")

    execution.refresh_from_db()
    assert execution.execution_ended_on == TODAY()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ended_on": TODAY() + datetime.timedelta(days=1)}, "ended_on"),
        ({"ended_on": TODAY() - datetime.timedelta(days=6)}, "ended_on"),  # before the last visit
        ({"summary": " "}, "summary"),
        ({"results": ""}, "summary"),
    ],
    ids=["future", "before-last-visit", "no-summary", "no-results"],
)
def test_a_report_that_does_not_hold_is_refused_and_execution_goes_on(execution, kwargs, field):
    log(execution, date=days_ago(5))
    before = service_snapshot(execution)
    arguments = {"summary": "Se calibró el horno", "results": "Menos merma", **kwargs}

    with pytest.raises(DomainError) as refusal:
        report_submit(user=execution.consultants.get().user, service=execution, **arguments)

    assert refusal.value.field == field
    assert service_snapshot(execution) == before
    assert not TechnicalReport.objects.exists()
    execution.refresh_from_db()
    assert execution.execution_ended_on is None


# --- Evaluation --------------------------------------------------------------------------------------------


@pytest.fixture
def evaluation_due(build):
    """A service in evaluation: execution ended 40 days ago, so the window is open."""
    service = build(Stage.EVALUATION)
    assert service.execution_ended_on == days_ago(BUILD_ENDED_DAYS_AGO)
    return service


def test_the_evaluation_window_runs_from_30_to_60_days_after_execution(evaluation_due, execution):
    ended = evaluation_due.execution_ended_on

    assert evaluation_window(evaluation_due) == (
        ended + datetime.timedelta(days=30),
        ended + datetime.timedelta(days=60),
    )
    assert evaluation_window(execution) is None


def test_the_evaluation_window_follows_the_network_settings_record(evaluation_due):
    CentreSettings.objects.update_or_create(
        centre=None, defaults={"evaluation_from_days": 15, "evaluation_until_days": 45}
    )
    ended = evaluation_due.execution_ended_on

    assert evaluation_window(evaluation_due) == (
        ended + datetime.timedelta(days=15),
        ended + datetime.timedelta(days=45),
    )


def _record(service, promoter, **kwargs):
    arguments = {
        "user": promoter,
        "service": service,
        "date": TODAY(),
        "satisfaction": 4,
        "measures": {i.pk: Decimal("4.5") for i in service.indicators.all()},
        **kwargs,
    }
    return evaluation_record(**arguments)


def test_the_evaluation_measures_every_indicator_and_closes_the_service(evaluation_due, promoter, lima):
    indicator_add_second = Indicator.objects.create(
        service=evaluation_due, name="Unidades por tanda", unit="u", baseline=Decimal("100"), target=Decimal("150")
    )
    measures = {evaluation_due.indicators.get(name="Merma").pk: "4.5", indicator_add_second.pk: Decimal("140")}

    evaluation = _record(evaluation_due, promoter, measures=measures, satisfaction=5, comments=" Muy contento ")

    evaluation_due.refresh_from_db()
    assert evaluation_due.stage == Stage.CLOSED
    assert (evaluation.evaluator, evaluation.satisfaction, evaluation.comments) == (promoter, 5, "Muy contento")
    waste, units = evaluation_due.indicators.order_by("id")
    assert (waste.measured_value, waste.measured_on, waste.target_reached) == (Decimal("4.5"), TODAY(), True)
    assert (units.measured_value, units.target_reached) == (Decimal("140"), False)
    change = evaluation_due.changes.last()
    assert (change.from_stage, change.to_stage, change.by) == (Stage.EVALUATION, Stage.CLOSED, promoter)
    assert not Need.objects.filter(company=evaluation_due.company).exists()


def test_asking_for_further_services_opens_a_need_for_assistance(evaluation_due, promoter):
    _record(evaluation_due, promoter, further_services_requested=True, further_services_note=" Registro sanitario ")

    need = Need.objects.get(company=evaluation_due.company)
    assert (need.need_type, need.status, need.source) == (NeedType.ASSISTANCE, Need.Status.OPEN, "evaluation")
    assert (need.centre_id, need.note) == (evaluation_due.centre_id, "Registro sanitario")


def test_asking_for_further_services_needs_to_say_which(evaluation_due, promoter):
    before = service_snapshot(evaluation_due)

    with pytest.raises(DomainError) as refusal:
        _record(evaluation_due, promoter, further_services_requested=True, further_services_note=" ")

    assert refusal.value.field == "further_services_note"
    assert service_snapshot(evaluation_due) == before
    # The measures written before the refusal were rolled back with it.
    assert not evaluation_due.indicators.filter(measured_value__isnull=False).exists()
    assert not Need.objects.exists()


@pytest.mark.parametrize("satisfaction", [0, 6, -1])
def test_satisfaction_goes_from_1_to_5(evaluation_due, promoter, satisfaction):
    before = service_snapshot(evaluation_due)

    with pytest.raises(DomainError) as refusal:
        _record(evaluation_due, promoter, satisfaction=satisfaction)

    assert refusal.value.field == "satisfaction"
    assert service_snapshot(evaluation_due) == before
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("measures", [{}, "none-measured", "blank"], ids=["empty", "other-ids", "blank-value"])
def test_an_evaluation_missing_a_measure_is_refused(evaluation_due, promoter, measures):
    indicator = evaluation_due.indicators.get()
    if measures == "none-measured":
        measures = {indicator.pk + 1000: Decimal("3")}
    elif measures == "blank":
        measures = {indicator.pk: ""}
    before = service_snapshot(evaluation_due)

    with pytest.raises(DomainError) as refusal:
        _record(evaluation_due, promoter, measures=measures)

    assert refusal.value.field == "measures"
    assert service_snapshot(evaluation_due) == before
    indicator.refresh_from_db()
    assert indicator.measured_value is None


def test_a_measure_that_is_not_a_number_is_refused(evaluation_due, promoter):
    indicator = evaluation_due.indicators.get()

    with pytest.raises(DomainError, match="is not a number"):
        _record(evaluation_due, promoter, measures={indicator.pk: "mucho"})

    assert not Evaluation.objects.exists()


def test_the_evaluation_visit_cannot_be_in_the_future(evaluation_due, promoter):
    with pytest.raises(DomainError) as refusal:
        _record(evaluation_due, promoter, date=TODAY() + datetime.timedelta(days=1))

    assert refusal.value.field == "date"
    assert not Evaluation.objects.exists()


def test_a_late_evaluation_is_still_accepted(build, promoter):
    service = build(Stage.EVALUATION)
    type(service).objects.filter(pk=service.pk).update(execution_ended_on=days_ago(90))

    _record(service, promoter)

    service.refresh_from_db()
    assert service.stage == Stage.CLOSED


def test_an_evaluation_is_recorded_only_in_the_evaluation_stage(build, promoter):
    service = build(Stage.EXECUTION, ready=True)

    with pytest.raises(DomainError, match="only be done while the service is in"):
        _record(service, promoter)

    assert not Evaluation.objects.exists()


# --- After a reopening ------------------------------------------------------------------------------------


def test_a_service_reopened_at_execution_takes_a_new_report_that_replaces_the_old(build, coordinator, consultant):
    service = build(Stage.EVALUATION)
    first_report = TechnicalReport.objects.get(service=service)
    service_reopen(user=coordinator, service=service, to_stage=Stage.EXECUTION, reason="Informe incompleto")
    log(service, date=days_ago(1))

    report = report_submit(user=consultant, service=service, summary="Informe completo", results="Merma 4 %")

    service.refresh_from_db()
    assert service.stage == Stage.EVALUATION
    assert service.execution_ended_on == TODAY()
    assert report.pk == first_report.pk
    assert TechnicalReport.objects.get(service=service).summary == "Informe completo"
    assert report.history.count() == 2


def test_a_closed_service_reopened_at_evaluation_takes_a_new_evaluation(build, coordinator, promoter):
    service = build(Stage.CLOSED)
    service_reopen(user=coordinator, service=service, to_stage=Stage.EVALUATION, reason="Medida mal tomada")

    evaluation = _record(service, promoter, satisfaction=3, measures={i.pk: "6" for i in service.indicators.all()})

    service.refresh_from_db()
    assert service.stage == Stage.CLOSED
    assert Evaluation.objects.get(service=service) == evaluation
    assert evaluation.satisfaction == 3
    assert service.indicators.get().measured_value == Decimal("6")


@pytest.mark.parametrize("satisfaction", ["muy bien", None, "4.5"])
def test_a_satisfaction_not_a_whole_number_is_a_domain_error_not_a_crash(evaluation_due, promoter, satisfaction):
    with pytest.raises(DomainError) as refusal:
        _record(evaluation_due, promoter, satisfaction=satisfaction)

    assert refusal.value.field == "satisfaction"
    assert not Evaluation.objects.exists()


def test_the_satisfaction_scale_follows_the_centres_settings_record(evaluation_due, promoter):
    CentreSettings.objects.update_or_create(centre=evaluation_due.centre, defaults={"satisfaction_scale": 4})

    with pytest.raises(DomainError, match="1 to 4"):
        _record(evaluation_due, promoter, satisfaction=5)

    assert _record(evaluation_due, promoter, satisfaction=4).satisfaction == 4


def test_redoing_an_evaluation_that_asked_for_more_services_does_not_open_a_second_need(
    evaluation_due, promoter, coordinator
):
    _record(evaluation_due, promoter, further_services_requested=True, further_services_note="Registro sanitario")
    service_reopen(user=coordinator, service=evaluation_due, to_stage=Stage.EVALUATION, reason="Faltó medir")

    _record(evaluation_due, promoter, further_services_requested=True, further_services_note="Registro sanitario")

    assert Need.objects.filter(company=evaluation_due.company, source="evaluation").count() == 1
