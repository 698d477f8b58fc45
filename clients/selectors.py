"""Reads of the client registry, already scoped to what the requesting user may see.

Each returns a queryset with what its page shows joined in, so that a page runs a
fixed number of queries whatever the number of rows.
"""

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Substr

from core.access import get_scoped_or_404, scope_to_user
from core.text import fold

from .models import Company, Diagnosis, Entrepreneur, Need, NeedType, ProblemNode, Subsector, Ubigeo


def company_list(*, user) -> QuerySet[Company]:
    return scope_to_user(Company.objects.select_related("centre", "subsector", "district"), user)


def company_search(queryset: QuerySet[Company], text: str) -> QuerySet[Company]:
    """Name or trade name or an owner's name (every word, case and accents ignored); for digits, also
    the start of the RUC or an owner's exact DNI.

    Written for the indexes: the names are one folded column of the company (search_name, with its
    people's names), so a word search is one condition on one table that PostgreSQL serves either
    from the trigram index (a rare word) or by walking the list's order index until a page is full
    (a common one). Digits add the RUC and DNI matches as a UNION of indexed selects of company ids,
    never an OR across a join.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    by_name = Q()
    for word in fold(text).split():
        by_name &= Q(search_name__contains=word)
    if not text.isdigit():
        return queryset.filter(by_name)
    ids = (
        Company.objects.order_by()
        .filter(by_name)
        .values("pk")
        .union(
            Company.objects.order_by().filter(ruc__startswith=text).values("pk"),
            # People without a company add a NULL to the ids, which matches no company.
            Entrepreneur.objects.order_by().filter(dni=text).values("company_id"),
        )
    )
    return queryset.filter(pk__in=ids)


def company_detail(*, user, pk: int) -> Company:
    diagnoses = Diagnosis.objects.select_related("promoter").annotate(node_count=Count("nodes"))
    return get_scoped_or_404(
        Company.objects.select_related("centre", "subsector", "district", "created_by").prefetch_related(
            Prefetch("diagnoses", queryset=diagnoses),
            Prefetch("people", queryset=Entrepreneur.objects.order_by("last_name")),
            Prefetch("needs", queryset=Need.objects.order_by("status", "-created_at")),
        ),
        user,
        pk=pk,
    )


def entrepreneur_list(*, user) -> QuerySet[Entrepreneur]:
    return scope_to_user(Entrepreneur.objects.select_related("centre", "company", "district"), user)


def entrepreneur_search(queryset: QuerySet[Entrepreneur], text: str) -> QuerySet[Entrepreneur]:
    """Every word in the first or last names (case and accents ignored), or the exact DNI."""
    text = (text or "").strip()
    if not text:
        return queryset
    match = Q()
    for word in fold(text).split():
        match &= Q(search_name__contains=word)
    if text.isdigit():
        match |= Q(dni=text)
    return queryset.filter(match)


def entrepreneur_detail(*, user, pk: int) -> Entrepreneur:
    return get_scoped_or_404(
        Entrepreneur.objects.select_related("centre", "company", "district", "created_by").prefetch_related("needs"),
        user,
        pk=pk,
    )


def diagnosis_detail(*, user, pk: int) -> Diagnosis:
    return get_scoped_or_404(
        Diagnosis.objects.select_related("company", "company__subsector", "company__district", "centre", "promoter"),
        user,
        pk=pk,
    )


def assemble_tree(nodes: list[ProblemNode]) -> dict:
    """Nodes already loaded, as a tree: {"central": node, "causes": [...], "effects": [...], "nodes": [...]}.

    Sets ``child_nodes`` on each node, so templates and serializers walk it without a query.
    """
    by_parent: dict[int | None, list[ProblemNode]] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.child_nodes = by_parent.get(node.pk, [])
    central = next((n for n in nodes if n.kind == ProblemNode.Kind.CENTRAL), None)
    top = by_parent.get(central.pk, []) if central else []
    return {
        "central": central,
        "causes": [n for n in top if n.kind == ProblemNode.Kind.CAUSE],
        "effects": [n for n in top if n.kind == ProblemNode.Kind.EFFECT],
        "nodes": nodes,
    }


def problem_tree(diagnosis: Diagnosis) -> dict:
    """The tree in one query."""
    return assemble_tree(list(ProblemNode.objects.filter(diagnosis=diagnosis).order_by("position", "id")))


def problem_node_for_user(*, user, pk: int) -> ProblemNode:
    return get_scoped_or_404(
        ProblemNode.objects.select_related("diagnosis"), user, centre_field="diagnosis__centre", pk=pk
    )


def need_list(*, user) -> QuerySet[Need]:
    return scope_to_user(
        Need.objects.select_related("centre", "company", "company__subsector", "entrepreneur", "diagnosis"), user
    )


def open_needs_summary(*, user) -> list[dict]:
    """Open needs counted by centre, subsector and type: what the centre is asked for and has not answered.

    One query on the needs table alone: the subsector is copied onto each need, so the open needs are
    counted from the partial index ``need_open_summary`` without joining every company; grouped by ids
    with the names carried as aggregates, and sorted here (grouping by the joined names made it sort
    every open need first, spilling to disk at national scale).
    """
    rows = (
        scope_to_user(Need.objects.filter(status=Need.Status.OPEN), user)
        .order_by()
        .values("centre_id", "subsector_id", "need_type")
        .annotate(total=Count("id"), centre_name=Min("centre__name"), subsector_name=Min("subsector__name"))
    )
    labels = dict(NeedType.choices)
    summary = [
        {
            "centre__name": row["centre_name"],
            "company__subsector__name": row["subsector_name"],
            "need_type": row["need_type"],
            "need_label": labels.get(row["need_type"], row["need_type"]),
            "total": row["total"],
        }
        for row in rows
    ]
    # Emprendedores without a company (no subsector) last within their centre, as the database sorts NULLs.
    summary.sort(key=lambda r: (r["centre__name"], r["company__subsector__name"] is None,
                                r["company__subsector__name"] or "", r["need_type"]))  # fmt: skip
    return summary


def departments() -> list[tuple[str, str]]:
    """(code, name) of each department, grouped in the database: 25 rows instead of 1,874 districts."""
    rows = (
        Ubigeo.objects.annotate(department_code=Substr("code", 1, 2))
        .values("department_code")
        .annotate(name=Min("department"))
        .order_by("department_code")
        .values_list("department_code", "name")
    )
    return list(rows)


def provinces(department_code: str) -> list[tuple[str, str]]:
    rows = Ubigeo.objects.filter(code__startswith=department_code).values_list("code", "province").order_by("code")
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code[:4], name)
    return list(seen.items())


def districts(province_code: str) -> QuerySet[Ubigeo]:
    return Ubigeo.objects.filter(code__startswith=province_code).order_by("district")


def active_subsectors() -> QuerySet[Subsector]:
    return Subsector.objects.filter(is_active=True)


def diagnosis_list(*, user) -> QuerySet[Diagnosis]:
    """Diagnoses with their tree and needs, for the API (one query each, whatever the number)."""
    needs = Need.objects.select_related("company", "entrepreneur")
    diagnoses = Diagnosis.objects.select_related("company", "centre", "promoter").prefetch_related(
        "nodes", Prefetch("needs", queryset=needs)
    )
    return scope_to_user(diagnoses, user)


def timeline_diagnoses(companies, user) -> list:
    """The diagnoses of these companies that the user may see, as timeline events."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .timeline import TimelineEvent

    if all("diagnoses" in getattr(c, "_prefetched_objects_cache", {}) for c in companies):
        # The company's file already loaded them (with the promoter): no second query. They are the
        # user's to see, since a diagnosis belongs to its company's centre and the company was scoped.
        diagnoses = [d for c in companies for d in c.diagnoses.all()]
    else:
        diagnoses = scope_to_user(Diagnosis.objects.filter(company__in=companies).select_related("promoter"), user)
    return [
        TimelineEvent(
            company_id=d.company_id,
            date=d.date,
            kind=_("Diagnosis"),
            title=f"{d.get_status_display()} · {d.promoter}",
            url=reverse("clients:diagnosis_detail", args=[d.pk]),
            icon="clipboard-data",
        )
        for d in diagnoses
    ]


def draft_diagnoses_panel(user) -> list[tuple[str, str]]:
    """The promoter's unfinished interviews: (text, url) pairs for the home page."""
    from django.urls import reverse

    drafts = Diagnosis.objects.filter(promoter=user, status=Diagnosis.Status.DRAFT).select_related("company")[:10]
    return [(f"{d.company} · {d.date:%d/%m/%Y}", reverse("clients:diagnosis_detail", args=[d.pk])) for d in drafts]
