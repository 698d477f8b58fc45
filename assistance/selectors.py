"""Reads of the assistance app, scoped to the requesting user.

A consultant sees only the services assigned to them; other staff see their centres'
services; national roles see all.
"""

import datetime
from decimal import Decimal

from django.db.models import Avg, Count, FloatField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from consultants import selectors as directory
from core.access import scope_to_user
from core.selectors import settings_by_centre, settings_lookup
from core.text import fold

from .models import (
    OPEN_STAGES,
    STAGE_ORDER,
    Activity,
    BudgetLine,
    FundingLine,
    ImprovementItem,
    Indicator,
    Service,
    Stage,
    StageChange,
    Visit,
)
from .permissions import policy


def _consultant_only(user) -> bool:
    """Consultants without another staff role work only on their own services."""
    return not policy.in_scope(user, "sees_every_service")


def service_list(*, user) -> QuerySet[Service]:
    qs = Service.objects.select_related("company", "service_type", "centre", "promoter")
    if _consultant_only(user):
        return qs.filter(consultants__user=user).distinct()
    return scope_to_user(qs, user)


def service_search(queryset: QuerySet[Service], text: str) -> QuerySet[Service]:
    """File number or title, or the company's name or its people's (every word; case and accents ignored)."""
    text = (text or "").strip()
    if not text:
        return queryset
    # The company's folded search_name is read on the company row the list joins anyway (one company per
    # service), as the list walks its newest-first index until the page is full. Collecting every
    # matching company first (20,000 for "pan" at national scale) cost more than the whole page.
    company_matches = Q()
    for word in fold(text).split():
        company_matches &= Q(company__search_name__contains=word)
    return queryset.filter(Q(code__icontains=text) | Q(title__icontains=text) | company_matches)


def service_detail(*, user, pk: int) -> Service:
    """The whole expediente in a fixed number of queries."""
    qs = (
        service_list(user=user)
        .select_related(
            "diagnosis",
            "company__subsector",
            "company__district",
            "price_approved_by",
            "created_by",
            "report__submitted_by",
            "evaluation__evaluator",
        )
        .prefetch_related(
            "consultants",
            "addressed_nodes",
            Prefetch("improvements", queryset=ImprovementItem.objects.select_related("problem_node")),
            Prefetch("budget_lines", queryset=BudgetLine.objects.all()),
            Prefetch("funding_lines", queryset=FundingLine.objects.all()),
            Prefetch("activities", queryset=Activity.objects.all()),
            Prefetch("indicators", queryset=Indicator.objects.select_related("improvement")),
            Prefetch("visits", queryset=Visit.objects.select_related("consultant")),
            Prefetch("changes", queryset=StageChange.objects.select_related("by")),
        )
    )
    return get_object_or_404(qs, pk=pk)


def report_of(service: Service):
    """The technical report, or None (no query when the service came from service_detail)."""
    return getattr(service, "report", None) if _has(service, "report") else None


def evaluation_of(service: Service):
    return getattr(service, "evaluation", None) if _has(service, "evaluation") else None


def _has(service: Service, name: str) -> bool:
    try:
        getattr(service, name)
    except Service._meta.get_field(name).related_model.DoesNotExist:
        return False
    return True


def pipeline_board(*, user, centre=None) -> list[dict]:
    """Open services by stage, each with its days in stage and whether it is late: two queries."""
    today = timezone.localdate()
    qs = service_list(user=user).filter(stage__in=OPEN_STAGES)
    if centre is not None:
        qs = qs.filter(centre=centre)
    counts = dict(qs.order_by().values_list("stage").annotate(n=Count("id")))
    columns = {
        stage: {"stage": stage, "label": Stage(stage).label, "count": counts.get(stage, 0), "services": []}
        for stage in OPEN_STAGES
    }
    # The board shows the 20 oldest of each stage; the count says how many there are.
    per_stage = 20
    for stage in OPEN_STAGES:
        columns[stage]["more"] = max(0, columns[stage]["count"] - per_stage)
    rows = (
        qs.order_by("stage", "stage_changed_at")
        .select_related(None)
        .only(
            "id",
            "code",
            "title",
            "stage",
            "stage_changed_at",
            "execution_ended_on",
            "company__legal_name",
            "centre__name",
        )
        .select_related("company", "centre")
    )
    limit = dict.fromkeys(OPEN_STAGES, per_stage)
    settings_of = settings_lookup()
    for service in _oldest_per_stage(rows, limit):
        days = (today - timezone.localdate(service.stage_changed_at)).days
        # The centre's settings record says when a stage is late (read once per request).
        rules = settings_of(service.centre_id)
        if service.stage == Stage.EVALUATION and service.execution_ended_on:
            late = today > service.execution_ended_on + datetime.timedelta(days=rules.evaluation_until_days)
        else:
            late = days > (rules.stage_limit_days(service.stage) or 60)
        columns[service.stage]["services"].append({"service": service, "days": days, "late": late})
    return [columns[stage] for stage in OPEN_STAGES]


def _oldest_per_stage(rows, limit):
    """The oldest services of each stage, one query per stage (a constant: six)."""
    for stage in OPEN_STAGES:
        yield from rows.filter(stage=stage)[: limit[stage]]


def evaluations_due(*, user, on: datetime.date | None = None) -> QuerySet[Service]:
    """Services in evaluation whose window has opened (due) or passed (overdue)."""
    on = on or timezone.localdate()
    return service_list(user=user).filter(evaluation_opened_by(on)).order_by("execution_ended_on")


def evaluation_opened_by(on: datetime.date) -> Q:
    """Services in evaluation whose window has opened by ``on``, each by its centre's settings."""
    from core.models import Centre

    centres = Centre.objects.values_list("pk", flat=True)
    by_days: dict[int, list[int]] = {}
    for centre_id, rules in settings_by_centre(centres).items():
        by_days.setdefault(rules.evaluation_from_days, []).append(centre_id)
    opened = Q(pk__in=[])
    for days, centre_ids in by_days.items():
        opened |= Q(centre_id__in=centre_ids, execution_ended_on__lte=on - datetime.timedelta(days=days))
    return Q(stage=Stage.EVALUATION) & opened


# --- What consultants did, for the directory (registered with consultants.track_record) -------------


def consultant_track_record(consultants: QuerySet) -> QuerySet:
    """Annotate a consultant queryset with what each did here, one subquery per figure (no join, no row each).

    ``services_done`` and ``average_score``: closed services and their owners' satisfaction;
    ``last_service``: the latest end of an execution, the date the directory's idle filter reads;
    ``open_services``: services in progress.
    """
    assigned = Service.consultants.through.objects.filter(consultant_id=OuterRef("pk")).values("consultant_id")
    closed = assigned.filter(service__stage=Stage.CLOSED)

    def figure(rows, aggregate):
        return Subquery(rows.annotate(value=aggregate).values("value")[:1])

    return consultants.annotate(
        services_done=Coalesce(figure(closed, Count("service_id")), 0),
        average_score=figure(closed, Avg("service__evaluation__satisfaction", output_field=FloatField())),
        last_service=figure(assigned, Max("service__execution_ended_on")),
        open_services=Coalesce(figure(assigned.filter(service__stage__in=OPEN_STAGES), Count("service_id")), 0),
    )


def consultant_work(user, consultant) -> list:
    """The consultant's services that ``user`` sees (another centre's would be a 404), newest first."""
    from django.urls import reverse

    from consultants.track_record import WorkItem

    services = service_list(user=user).filter(consultants=consultant).order_by("-created_at", "-id")
    return [
        WorkItem(
            code=s.code,
            title=s.title,
            detail=f"{s.company.legal_name} · {s.get_stage_display()}",
            url=reverse("assistance:service_detail", args=[s.pk]),
            date=s.created_at,
        )
        for s in services
    ]


def consultant_suggestions(*, service: Service, limit: int = 5) -> list:
    """The directory's ranking for this service: its centre, its company's subsector and its area."""
    return directory.consultant_suggestions(
        centre_id=service.centre_id,
        subsector_id=service.company.subsector_id,
        area=service.area,
        exclude_ids=[c.pk for c in service.consultants.all()],
        limit=limit,
    )


def stage_position(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else -1


def hours_spent(service: Service) -> Decimal:
    # The fallback must be a Decimal too: Coalesce refuses to mix a DecimalField with an integer.
    return service.visits.aggregate(h=Coalesce(Sum("hours"), Value(Decimal("0"))))["h"]


def evaluations_due_panel(user) -> list[tuple[str, str]]:
    """The home page's "evaluations due": (text, url) pairs."""
    from django.urls import reverse

    return [
        (f"{s.code} · {s.company}", reverse("assistance:service_detail", args=[s.pk]))
        for s in evaluations_due(user=user)[:10]
    ]


def my_services_panel(user) -> list[tuple[str, str]]:
    """A consultant's open services on the home page."""
    from django.urls import reverse

    services = service_list(user=user).filter(stage__in=OPEN_STAGES, consultants__user=user)[:10]
    return [
        (f"{s.code} · {s.get_stage_display()} · {s.company}", reverse("assistance:service_detail", args=[s.pk]))
        for s in services
    ]


def timeline_services(companies, user) -> list:
    """The services of these companies that the user may see (a consultant: only theirs), as timeline events."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from clients.timeline import TimelineEvent

    return [
        TimelineEvent(
            company_id=s.company_id,
            date=timezone.localdate(s.created_at),
            kind=_("Technical assistance"),
            title=f"{s.code} · {s.title} ({s.get_stage_display()})",
            url=reverse("assistance:service_detail", args=[s.pk]),
            icon="tools",
        )
        for s in service_list(user=user).filter(company__in=companies).select_related(None)  # no join shown
    ]


def satisfaction_scale(service: Service) -> int:
    """The top of the owner's satisfaction scale at the service's centre (its settings record)."""
    from core.selectors import centre_settings

    return centre_settings(service.centre_id).satisfaction_scale


# --- Reminders (registered with core.reminders) ---------------------------------------------------------

REMIND_DAYS_AHEAD = 7


def evaluation_reminders(today: datetime.date):
    """Evaluations whose window opens within a week (due on the opening day) or has closed unevaluated
    (overdue, due on the closing day), each to the service's promoter."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.reminders import Reminder

    rules = settings_lookup()
    services = Service.objects.filter(
        stage=Stage.EVALUATION, execution_ended_on__isnull=False, promoter__isnull=False
    ).select_related("company")
    for service in services.only("pk", "code", "title", "centre_id", "promoter_id", "execution_ended_on", "company"):
        centre_rules = rules(service.centre_id)
        opens = service.execution_ended_on + datetime.timedelta(days=centre_rules.evaluation_from_days)
        closes = service.execution_ended_on + datetime.timedelta(days=centre_rules.evaluation_until_days)
        url = reverse("assistance:service_detail", args=[service.pk])
        values = {"code": service.code, "company": service.company, "opens": opens, "closes": closes}
        if today > closes:
            message = _("Evaluation overdue: %(code)s, %(company)s (window closed on %(closes)s)") % {
                **values,
                "closes": f"{closes:%d/%m/%Y}",
            }
            yield Reminder(service.promoter_id, f"assistance.service:{service.pk}", closes, message, url)
        elif opens <= today + datetime.timedelta(days=REMIND_DAYS_AHEAD):
            message = _("Evaluation due: %(code)s, %(company)s: visit between %(opens)s and %(closes)s") % {
                **values,
                "opens": f"{opens:%d/%m/%Y}",
                "closes": f"{closes:%d/%m/%Y}",
            }
            yield Reminder(service.promoter_id, f"assistance.service:{service.pk}", opens, message, url)


def activity_reminders(today: datetime.date, *, overdue: bool = False):
    """Action-plan activities of services in execution that end within a week (or, ``overdue``, are late)
    and are unfinished, to the service's promoter (due on the activity's planned end)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.reminders import Reminder

    activities = Activity.objects.filter(
        service__stage=Stage.EXECUTION,
        service__promoter__isnull=False,
        progress__lt=100,
    ).select_related("service")
    if overdue:
        activities = activities.filter(planned_end__lt=today)
    else:
        activities = activities.filter(
            planned_end__gte=today, planned_end__lte=today + datetime.timedelta(days=REMIND_DAYS_AHEAD)
        )
    for activity in activities:
        service = activity.service
        label = _("Activity overdue") if overdue else _("Activity due")
        when = f"{activity.planned_end:%d/%m/%Y}, {activity.progress} %"
        message = f"{label}: {service.code}, {activity.description[:120]} ({when})"
        yield Reminder(
            service.promoter_id,
            f"assistance.activity:{activity.pk}",
            activity.planned_end,
            message,
            reverse("assistance:service_detail", args=[service.pk]),
        )


# --- Printable documents (registered with core.reports) ------------------------------------------------


def document_context(service: Service) -> dict:
    """What every document of a service prints: the service, its report, evaluation and the owner who signs."""
    owner = next(
        (p for p in service.company.people.all() if p.relationship == "owner"),
        None,
    )
    indicators = list(service.indicators.all())
    for indicator in indicators:
        indicator.goal_change = indicator.target - indicator.baseline
        indicator.achieved = (
            None
            if indicator.measured_value is None
            else (indicator.measured_value - indicator.baseline) * (1 if indicator.goal_change >= 0 else -1)
            >= abs(indicator.goal_change)
        )
    return {
        "service": service,
        "company": service.company,
        "owner": owner,
        "report": report_of(service),
        "evaluation": evaluation_of(service),
        "satisfaction_scale": satisfaction_scale(service),
        "indicators": indicators,
    }
