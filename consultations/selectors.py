"""Reads of consultations and the desk's library, scoped to the requesting user.

Conversion is read from ``clients.Need`` only: a referral converted when its need
was answered within the centre's window (``CentreSettings.referral_window_days``)
after the consultation ended, whatever app answered it.
"""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import selectors as client_selectors
from clients.models import Need
from clients.timeline import TimelineEvent
from core.access import centre_ids, get_scoped_or_404, scope_to_user, sees_all_centres, visible_centres
from core.selectors import centre_settings, settings_lookup

from .models import Channel, Consultation, FactSheet, Supplier, Topic


def consultation_list(*, user) -> QuerySet[Consultation]:
    return scope_to_user(
        Consultation.objects.select_related(
            "centre", "topic", "subsector", "company", "entrepreneur", "contact_district", "need", "recorded_by"
        ),
        user,
    )


def consultation_detail(*, user, pk: int) -> Consultation:
    return get_scoped_or_404(consultation_list(user=user).prefetch_related("suppliers", "fact_sheets"), user, pk=pk)


def converted_condition(centre_ids_in_view) -> Q:
    """Q: the referral's need was answered within the window of the consultation's centre.

    The window is a setting per centre, so the condition names each centre's own (a handful).
    """
    lookup = settings_lookup()
    window_by_centre: dict[int, list[int]] = {}
    for centre_id in centre_ids_in_view:
        window_by_centre.setdefault(lookup(centre_id).referral_window_days, []).append(centre_id)
    in_window = Q(pk__in=[])
    for days, ids in window_by_centre.items():
        in_window |= Q(centre_id__in=ids, need__answered_at__lte=F("ended_at") + datetime.timedelta(days=days))
    return Q(need__status=Need.Status.ANSWERED) & in_window


def with_conversion(queryset: QuerySet[Consultation], *, user) -> QuerySet[Consultation]:
    """Annotate ``converted`` (True/False) on each consultation."""
    ids = list(visible_centres(user).values_list("id", flat=True))
    return queryset.annotate(converted=ExpressionWrapper(converted_condition(ids), output_field=BooleanField()))


def conversion_by(queryset: QuerySet[Consultation], *, user, field: str) -> list[dict]:
    """Referrals and conversions grouped by ``field`` ("topic__name" or "channel"), with the rate in %."""
    ids = list(visible_centres(user).values_list("id", flat=True))
    rows = (
        queryset.exclude(referral="")
        .order_by()
        .values(field)
        .annotate(
            referred=Count("id"),
            with_need=Count("id", filter=Q(need__isnull=False)),
            converted=Count("id", filter=converted_condition(ids)),
        )
        .order_by(field)
    )
    labels = dict(Channel.choices) if field == "channel" else {}
    result = []
    for row in rows:
        key = row[field]
        result.append(
            {
                "label": str(labels.get(key, key)),
                "referred": row["referred"],
                "with_need": row["with_need"],
                "converted": row["converted"],
                "rate": round(100 * row["converted"] / row["referred"], 1) if row["referred"] else 0.0,
            }
        )
    return result


def referral_window_days(user) -> int:
    """The window shown on the report: the user's centre's (or the network default)."""
    own = sorted(centre_ids(user))
    return centre_settings(own[0] if own and not sees_all_centres(user) else None).referral_window_days


def limit_minutes(centre_id: int | None) -> int:
    return centre_settings(centre_id).consultation_limit_minutes


def active_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def client_matches(*, user, text: str, limit: int = 8) -> list[dict]:
    """Companies and people of the user's centres whose name, RUC or DNI matches: the desk's search as you type."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    companies = client_selectors.company_search(client_selectors.company_list(user=user), text)[:limit]
    people = client_selectors.entrepreneur_search(client_selectors.entrepreneur_list(user=user), text)[:limit]
    found = [
        {
            "kind": "company",
            "id": c.pk,
            "label": str(c),
            "detail": " · ".join(filter(None, [c.ruc or "", c.subsector.name, c.district.district])),
            "subsector": c.subsector_id,
        }
        for c in companies
    ]
    found += [
        {
            "kind": "entrepreneur",
            "id": p.pk,
            "label": str(p),
            "detail": " · ".join(filter(None, [str(p.company) if p.company_id else _("Entrepreneur"), p.phone])),
            "subsector": None,
        }
        for p in people
    ]
    return found


def todays_consultations_panel(user) -> list[tuple[str, str]]:
    """The desk's home panel: a link to log one, then what this user logged today."""
    today = timezone.localdate()
    mine = consultation_list(user=user).filter(recorded_by=user, started_at__date=today)[:8]
    return [(_("Log a consultation"), reverse("consultations:consultation_create"))] + [
        (
            f"{timezone.localtime(c.started_at):%H:%M} · {c.asked_by} · {c.topic}",
            reverse("consultations:consultation_detail", args=[c.pk]),
        )
        for c in mine
    ]


# --- Library ------------------------------------------------------------------------------------------


def _library_scope(queryset, user):
    """Network-wide entries (no centre) and those of the user's centres."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if sees_all_centres(user):
        return queryset
    return queryset.filter(Q(centre__isnull=True) | Q(centre__in=centre_ids(user)))


def supplier_list(*, user) -> QuerySet[Supplier]:
    return _library_scope(Supplier.objects.select_related("centre", "subsector", "district"), user)


def supplier_detail(*, user, pk: int) -> Supplier:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(supplier_list(user=user), pk=pk)


def fact_sheet_list(*, user) -> QuerySet[FactSheet]:
    return _library_scope(FactSheet.objects.select_related("centre", "subsector"), user)


def fact_sheet_detail(*, user, pk: int) -> FactSheet:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(fact_sheet_list(user=user), pk=pk)


# --- Timeline -----------------------------------------------------------------------------------------


def timeline_consultations(companies, user) -> list:
    """The consultations of these companies that the user may see, as timeline events."""
    from .permissions import policy

    if not policy.can(user, "consultation_view"):
        return []
    # Only the join an event shows, not the list's seven.
    consultations = (
        consultation_list(user=user).filter(company__in=companies).select_related(None).select_related("topic")
    )
    return [
        TimelineEvent(
            company_id=c.company_id,
            date=timezone.localdate(c.started_at),
            kind=_("Consultation"),
            title=f"{c.topic} · {c.get_channel_display()}"
            + (f" · {_('referred to')} {c.get_referral_display()}" if c.referral else ""),
            url=reverse("consultations:consultation_detail", args=[c.pk]),
            icon="chat-left-text",
        )
        for c in consultations
    ]
