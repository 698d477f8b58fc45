"""The filter of the courses list, shared by the page, its export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import centre_filter_queryset

from .models import Module, Offering


class OfferingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code or module")}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Offering.Status.choices)
    module = django_filters.ModelChoiceFilter(label=_("Module"), queryset=Module.objects.all())
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=centre_filter_queryset)
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("starts_on", "starts_on"), ("module__name", "module"), ("status", "status")),
        field_labels={"starts_on": _("Start date"), "module__name": _("Module"), "status": _("Status")},
    )

    class Meta:
        model = Offering
        fields = ["q", "status", "module", "centre"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(module__name__icontains=value))


class ModuleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Module
        fields = ["q", "subsector"]
