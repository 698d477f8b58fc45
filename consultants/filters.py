"""Filters of the consultant directory, shared by the page (django-filter) and its export."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Subsector
from core.filters import CheckFilter, YesNoFilter
from core.forms import centre_filter_queryset

from . import selectors
from .models import Consultant, SpecialtyArea


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorting where consultants without a score or a service go last both ways, and ties keep a stable order."""

    def filter(self, qs, value):
        params = [param for param in value or () if param]
        if not params:
            return qs
        ordering = []
        for param in params:
            field = self.get_ordering_value(param)
            expression = F(field.lstrip("-"))
            ordering.append(
                expression.desc(nulls_last=True) if field.startswith("-") else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "last_name", "first_name", "pk")


class ConsultantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, profession or e-mail")}),
    )
    status = django_filters.ChoiceFilter(label=_("Validation status"), choices=Consultant.Status.choices)
    subsector = django_filters.ModelChoiceFilter(
        label=_("Subsector"), field_name="subsectors", queryset=Subsector.objects.all()
    )
    area = django_filters.ModelChoiceFilter(label=_("Area"), field_name="areas", queryset=SpecialtyArea.objects.all())
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), field_name="centres", queryset=centre_filter_queryset)
    is_staff_member = YesNoFilter(label=_("Staff of the centre"))
    idle = CheckFilter(method="only_idle")
    unasked = CheckFilter(label=_("Specialty nobody asks for in the open needs"), method="only_unasked")
    o = NullsLastOrderingFilter(
        label=_("Sort by"),
        fields=[
            ("last_name", "name"),
            ("hourly_fee", "fee"),
            ("services_done", "services_done"),
            ("average_score", "score"),
            ("last_service", "last_service"),
        ],
        field_labels={
            "name": _("Name"),
            "-name": _("Name (Z-A)"),
            "fee": _("Fee (lowest first)"),
            "-fee": _("Fee (highest first)"),
            "services_done": _("Services done (fewest first)"),
            "-services_done": _("Services done (most first)"),
            "score": _("Average score (lowest first)"),
            "-score": _("Average score (highest first)"),
            "last_service": _("Last service (oldest first)"),
            "-last_service": _("Last service (newest first)"),
        },
    )

    class Meta:
        model = Consultant
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The number of months is a setting: the label says the one in force, in the user's language.
        self.filters["idle"].label = gettext("Validated, without a service ending in the last %(months)d months") % {
            "months": selectors.idle_months()
        }

    def filter_queryset(self, queryset):
        # Meta.ordering does not apply to a query with aggregates (the selector's annotations):
        # without this the pages would come in no fixed order. The sort chosen replaces it.
        return super().filter_queryset(queryset.order_by("last_name", "first_name", "pk"))

    def search(self, queryset, name, value):
        # Every word must match somewhere, so "ana quispe" finds Ana María Quispe.
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(profession__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def only_idle(self, queryset, name, value):
        return selectors.idle_validated(queryset) if value else queryset

    def only_unasked(self, queryset, name, value):
        return selectors.unasked_specialties(queryset, user=self.request.user) if value else queryset
