"""Filters of the assistance lists: one filter set per list, shared by the page, its export and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import IntegerFilter
from core.forms import centre_filter_queryset

from . import selectors
from .models import Area, Service, ServiceType, Stage


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("File number, title or company")}),
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=centre_filter_queryset)
    service_type = django_filters.ModelChoiceFilter(label=_("Service type"), queryset=ServiceType.objects.all())
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("created_at", "created"), ("stage_changed_at", "stage_changed"), ("total_cost", "cost")],
        field_labels={
            "created": _("Opened (oldest first)"),
            "-created": _("Opened (newest first)"),
            "stage_changed": _("Longest in stage first"),
            "-stage_changed": _("Latest moved first"),
            "cost": _("Cost (lowest first)"),
            "-cost": _("Cost (highest first)"),
        },
    )

    company = IntegerFilter(label=_("Company"), field_name="company", widget=forms.HiddenInput)
    area = django_filters.ChoiceFilter(label=_("Area"), choices=Area.choices)

    class Meta:
        model = Service
        fields = []

    def search(self, queryset, name, value):
        return selectors.service_search(queryset, value)
