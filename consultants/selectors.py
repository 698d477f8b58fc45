"""Reads of the consultant directory, scoped to the requesting user.

A consultant is seen by the staff of the centres they serve; national roles see all.
What each one did (services, scores, last service) comes from the apps that employ
them, through ``track_record``.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clients.models import Need, NeedType
from core.access import scope_to_user, sees_all_centres, visible_centres
from core.selectors import centre_settings

from .models import EXPIRY_WARNING_DAYS, AccreditationDocument, Consultant
from .track_record import with_track_record


def idle_months(centre_id: int | None = None) -> int:
    """Months without a service ending after which a validated consultant counts as idle (the seed's
    drop-outs): the settings record of the centre, or the network default."""
    return centre_settings(centre_id).idle_consultant_months


def suggestion_weights(centre_id: int | None = None) -> dict[str, float]:
    """How consultant_suggestions weighs what it knows of each candidate, from the centre's settings record."""
    rules = centre_settings(centre_id)
    return {
        "subsector": float(rules.suggestion_weight_subsector),  # serves the company's subsector
        "area": float(rules.suggestion_weight_area),  # has the service's area of specialty
        "score": float(rules.suggestion_weight_score),  # per point of average evaluation score
        "unscored": 3.0,  # the score assumed for a consultant nobody has evaluated yet (the scale's middle)
        "open_service": -float(rules.suggestion_weight_workload),  # per service in progress ...
        "open_services_cap": 5,  # ... counting at most this many
    }


# The three requirements of the directory, each proven by a document of its kind.
REQUIREMENTS = list(AccreditationDocument.Kind)


def consultant_list(*, user) -> QuerySet[Consultant]:
    """The directory with what each consultant did: services done, average score, last service."""
    qs = with_track_record(
        Consultant.objects.prefetch_related("subsectors", "areas", "centres").annotate(
            documents_count=Count("documents", distinct=True)
        )
    ).order_by("last_name", "first_name", "pk")
    if sees_all_centres(user):
        return qs
    serves = Consultant.centres.through.objects.filter(consultant=OuterRef("pk"), centre__in=visible_centres(user))
    return qs.filter(Exists(serves))


def consultant_detail(*, user, pk: int) -> Consultant:
    return get_object_or_404(
        consultant_list(user=user)
        .select_related("status_decided_by", "user")
        .prefetch_related("documents__uploaded_by"),
        pk=pk,
    )


def missing_requirements(consultant: Consultant) -> list:
    """The requirements (labels, in order) the consultant has no evidence document for."""
    cache = getattr(consultant, "_prefetched_objects_cache", {})
    if "documents" in cache:
        kinds = {document.kind for document in cache["documents"]}
    else:
        kinds = set(consultant.documents.values_list("kind", flat=True))
    return [kind.label for kind in REQUIREMENTS if kind.value not in kinds]


def idle_since(on: datetime.date | None = None, *, months: int | None = None) -> datetime.date:
    """The date ``months`` calendar months before ``on`` (the 31st becomes the month's last day)."""
    on = on or timezone.localdate()
    months = idle_months() if months is None else months
    month_index = on.year * 12 + on.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in (on.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def idle_validated(queryset: QuerySet[Consultant], *, months: int | None = None) -> QuerySet[Consultant]:
    """Validated but without a service ending in the last ``months``, or without any: the seed's drop-outs.

    Reads ``last_service`` from the track record, so the filter and the column agree.
    """
    queryset = queryset if "last_service" in queryset.query.annotations else with_track_record(queryset)
    since = idle_since(months=months)
    return queryset.filter(status=Consultant.Status.VALIDATED).filter(
        Q(last_service__isnull=True) | Q(last_service__lt=since)
    )


def unasked_specialties(queryset: QuerySet[Consultant], *, user) -> QuerySet[Consultant]:
    """Consultants none of whose subsectors appear in the open needs for assistance."""
    demanded = (
        scope_to_user(Need.objects.all(), user)
        .filter(status=Need.Status.OPEN, need_type=NeedType.ASSISTANCE, company__isnull=False)
        .values("company__subsector")
    )
    return queryset.exclude(subsectors__in=demanded)


def consultant_suggestions(
    *, centre_id: int, subsector_id: int | None, area: str, exclude_ids=(), limit: int = 5
) -> list[Consultant]:
    """Validated consultants serving ``centre_id``, best first for work in ``subsector_id`` and ``area``.

    Ranked by the centre's suggestion_weights: specialty (subsector and area), past evaluation
    scores and availability (fewer services in progress). ``exclude_ids``: those
    already on the job.
    """
    weights = suggestion_weights(centre_id)
    candidates = (
        with_track_record(
            Consultant.objects.filter(status=Consultant.Status.VALIDATED, centres=centre_id)
            .exclude(pk__in=list(exclude_ids))
            .annotate(
                subsector_match=Count("subsectors", filter=Q(subsectors=subsector_id), distinct=True),
                area_match=Count("areas", filter=Q(areas__code=area), distinct=True),
            )
        )
        .order_by()
        .distinct()
    )

    def score(c: Consultant) -> float:
        average = weights["unscored"] if c.average_score is None else float(c.average_score)
        return (
            c.subsector_match * weights["subsector"]
            + c.area_match * weights["area"]
            + average * weights["score"]
            + min(c.open_services, weights["open_services_cap"]) * weights["open_service"]
        )

    return sorted(candidates, key=lambda c: (-score(c), c.last_name, c.pk))[:limit]


# --- Reminders (registered with core.reminders) ---------------------------------------------------------


def accreditation_reminders(today: datetime.date, *, expired: bool = False):
    """Accreditation evidence that expires within EXPIRY_WARNING_DAYS (or, ``expired``, has lapsed while the
    consultant is still validated), to each of the directory's keepers; due on the expiry date.

    A document replaced by another of the same kind that is still good past the window (or never
    expires) is not reminded: the requirement stays covered.
    """
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.reminders import Reminder

    from .permissions import policy

    if expired:
        # Lapsed, and the consultant is still offered to the centres as validated on it.
        documents = AccreditationDocument.objects.filter(
            expires_on__lt=today, consultant__status=Consultant.Status.VALIDATED
        )
        still_good_after = today - datetime.timedelta(days=1)
    else:
        # Lapsing soon, on an entry still in use (proposed or validated).
        documents = AccreditationDocument.objects.filter(
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
            consultant__status__in=[Consultant.Status.PROPOSED, Consultant.Status.VALIDATED],
        )
        still_good_after = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    replacement = AccreditationDocument.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=still_good_after),
        consultant=OuterRef("consultant"),
        kind=OuterRef("kind"),
    )
    documents = list(documents.exclude(Exists(replacement)).select_related("consultant").order_by("expires_on", "pk"))
    if not documents:
        return
    keepers = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=policy.scopes["reminded_of_accreditations"])
        .values_list("pk", flat=True)
        .distinct()
    )
    for document in documents:
        values = {
            "consultant": document.consultant,
            "kind": document.get_kind_display(),
            "date": f"{document.expires_on:%d/%m/%Y}",
        }
        if expired:
            message = (
                _("Accreditation expired on %(date)s, consultant still validated: %(consultant)s, %(kind)s") % values
            )
        else:
            message = _("Accreditation expires on %(date)s: %(consultant)s, %(kind)s") % values
        url = reverse("consultants:consultant_detail", args=[document.consultant_id])
        for user_id in keepers:
            yield Reminder(user_id, f"consultants.document:{document.pk}", document.expires_on, message, url)
