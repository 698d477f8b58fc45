"""Reads of the assistance app, scoped to the requesting user.

A consultant sees only the services assigned to them; other staff see their centres'
services; national roles see all.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clients.models import Need, NeedType
from core.access import has_role, scope_to_user, sees_all_centres
from core.roles import Role
from core.text import fold

from .models import (
    OPEN_STAGES,
    STAGE_ORDER,
    Activity,
    BudgetLine,
    Consultant,
    FundingLine,
    ImprovementItem,
    Indicator,
    Service,
    Stage,
    StageChange,
    Visit,
)


def _consultant_only(user) -> bool:
    """Consultants without another staff role work only on their own services."""
    return has_role(user, Role.CONSULTANT) and not has_role(
        user, Role.PROMOTER, Role.COORDINATOR, Role.NATIONAL_MANAGER, Role.ADMINISTRATOR
    )


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


# Days a service may sit in a stage before the board marks it as late.
STAGE_LIMIT_DAYS = {
    Stage.PROMOTION: 30,
    Stage.DIAGNOSIS: 30,
    Stage.PROPOSAL: 30,
    Stage.ACTION_PLAN: 21,
    Stage.EXECUTION: 90,
}


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
    window = settings.EVALUATION_WINDOW_DAYS
    for service in _oldest_per_stage(rows, limit):
        days = (today - timezone.localdate(service.stage_changed_at)).days
        if service.stage == Stage.EVALUATION and service.execution_ended_on:
            late = today > service.execution_ended_on + datetime.timedelta(days=window[1])
        else:
            late = days > STAGE_LIMIT_DAYS.get(service.stage, 60)
        columns[service.stage]["services"].append({"service": service, "days": days, "late": late})
    return [columns[stage] for stage in OPEN_STAGES]


def _oldest_per_stage(rows, limit):
    """The oldest services of each stage, one query per stage (a constant: six)."""
    for stage in OPEN_STAGES:
        yield from rows.filter(stage=stage)[: limit[stage]]


def evaluations_due(*, user, on: datetime.date | None = None) -> QuerySet[Service]:
    """Services in evaluation whose window has opened (due) or passed (overdue)."""
    on = on or timezone.localdate()
    first, _last = settings.EVALUATION_WINDOW_DAYS
    return (
        service_list(user=user)
        .filter(stage=Stage.EVALUATION, execution_ended_on__lte=on - datetime.timedelta(days=first))
        .order_by("execution_ended_on")
    )


# --- Consultant directory ------------------------------------------------------------------------


def consultant_list(*, user) -> QuerySet[Consultant]:
    """The directory with what each consultant did: services done, average score, last service."""
    closed = Q(services__stage=Stage.CLOSED)
    qs = (
        Consultant.objects.prefetch_related("subsectors", "areas", "centres")
        .annotate(
            services_done=Count("services", filter=closed, distinct=True),
            average_score=Avg("services__evaluation__satisfaction", filter=closed),
            last_service=Max("services__execution_ended_on"),
            open_services=Count("services", filter=Q(services__stage__in=OPEN_STAGES), distinct=True),
            documents_count=Count("documents", distinct=True),
        )
        .order_by("last_name", "first_name", "pk")
    )
    if sees_all_centres(user):
        return qs
    return qs.filter(centres__in=scope_to_user(_centres(), user, centre_field="pk")).distinct()


def _centres():
    from core.models import Centre

    return Centre.objects.all()


def consultant_detail(*, user, pk: int) -> Consultant:
    return get_object_or_404(
        consultant_list(user=user)
        .select_related("status_decided_by", "user")
        .prefetch_related("documents__uploaded_by"),
        pk=pk,
    )


def idle_validated(queryset: QuerySet[Consultant], *, months: int = 12) -> QuerySet[Consultant]:
    """Validated but without a service in the last ``months``: the seed's drop-outs."""
    since = timezone.localdate() - datetime.timedelta(days=months * 30)
    recent = Service.objects.filter(consultants=OuterRef("pk"), created_at__date__gte=since)
    return queryset.filter(status=Consultant.Status.VALIDATED).exclude(Exists(recent))


def unasked_specialties(queryset: QuerySet[Consultant], *, user) -> QuerySet[Consultant]:
    """Consultants none of whose subsectors appear in the open needs for assistance."""
    demanded = (
        scope_to_user(Need.objects.all(), user)
        .filter(status=Need.Status.OPEN, need_type=NeedType.ASSISTANCE, company__isnull=False)
        .values("company__subsector")
    )
    return queryset.exclude(subsectors__in=demanded)


def consultant_suggestions(*, service: Service, limit: int = 5) -> list[Consultant]:
    """Validated consultants for a service, best first: specialty (subsector and area), centre,
    availability (fewer open services) and past evaluation scores."""
    subsector_id = service.company.subsector_id
    candidates = (
        Consultant.objects.filter(status=Consultant.Status.VALIDATED, centres=service.centre_id)
        .exclude(services=service)
        .annotate(
            subsector_match=Count("subsectors", filter=Q(subsectors=subsector_id), distinct=True),
            area_match=Count("areas", filter=Q(areas__code=service.area), distinct=True),
            open_services=Count("services", filter=Q(services__stage__in=OPEN_STAGES), distinct=True),
            average_score=Coalesce(Avg("services__evaluation__satisfaction"), Value(3.0)),
        )
        .distinct()
    )
    ranked = sorted(
        candidates,
        key=lambda c: (
            -(c.subsector_match * 4 + c.area_match * 2 + float(c.average_score) - min(c.open_services, 5) * 0.5),
            c.last_name,
        ),
    )
    return ranked[:limit]


def stage_position(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else -1


def hours_spent(service: Service) -> Decimal:
    # The fallback must be a Decimal too: Coalesce refuses to mix a DecimalField with an integer.
    return service.visits.aggregate(h=Coalesce(Sum("hours"), Value(Decimal("0"))))["h"]
