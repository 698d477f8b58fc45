"""Filters of the client lists: one filter set per list, shared by the page, its export and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import IntegerFilter, YesNoFilter
from core.forms import centre_filter_queryset

from . import selectors
from .models import (
    Company,
    Diagnosis,
    EducationLevel,
    Entrepreneur,
    Gender,
    Need,
    NeedType,
    SizeClass,
    Subsector,
    Ubigeo,
)


class CompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, RUC, owner or DNI")}),
    )
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=centre_filter_queryset)
    subsector = django_filters.ModelChoiceFilter(label=_("Subsector"), queryset=Subsector.objects.all())
    size_class = django_filters.ChoiceFilter(label=_("Size class"), choices=SizeClass.choices)
    is_formal = YesNoFilter(label=_("Formal"))
    department = django_filters.ChoiceFilter(label=_("Department"), method="in_department", choices=[])
    district = django_filters.ModelChoiceFilter(label=_("District"), queryset=Ubigeo.objects.none())
    sanitary = YesNoFilter(label=_("Sanitary registration"), method="has_sanitary")
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("legal_name", "name"),
            ("annual_sales", "annual_sales"),
            ("created_at", "created_at"),
            ("start_year", "start_year"),
        ],
        field_labels={
            "name": _("Name"),
            "-name": _("Name (Z-A)"),
            "annual_sales": _("Sales (lowest first)"),
            "-annual_sales": _("Sales (highest first)"),
            "created_at": _("Registered (oldest first)"),
            "-created_at": _("Registered (newest first)"),
            "start_year": _("Start year (oldest first)"),
            "-start_year": _("Start year (newest first)"),
        },
    )

    class Meta:
        model = Company
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = selectors.departments()
        # The district choices are the department's; a district sent alone (the API) names its department.
        department = self.data.get("department") or (self.data.get("district") or "")[:2]
        if department:
            self.filters["district"].queryset = Ubigeo.objects.filter(code__startswith=department).order_by("district")

    def search(self, queryset, name, value):
        return selectors.company_search(queryset, value)

    def in_department(self, queryset, name, value: str):
        return queryset.filter(district__code__startswith=value)

    def has_sanitary(self, queryset, name, value: bool):
        if value is None:
            return queryset
        return (
            queryset.exclude(sanitary_registration_number="")
            if value
            else queryset.filter(sanitary_registration_number="")
        )


class EntrepreneurFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or DNI")}),
    )
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=centre_filter_queryset)
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    education = django_filters.ChoiceFilter(label=_("Education level"), choices=EducationLevel.choices)
    company = IntegerFilter(label=_("Company"), field_name="company", widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        method="by_kind",
        choices=[("owner", _("With a business")), ("proto", _("Emprendedor without a business (protoempresa)"))],
    )
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("last_name", "name"), ("created_at", "created_at")],
        field_labels={
            "name": _("Name"),
            "-name": _("Name (Z-A)"),
            "created_at": _("Registered (oldest first)"),
            "-created_at": _("Registered (newest first)"),
        },
    )

    class Meta:
        model = Entrepreneur
        fields = []

    def search(self, queryset, name, value):
        return selectors.entrepreneur_search(queryset, value)

    def by_kind(self, queryset, name, value):
        return queryset.filter(company__isnull=(value == "proto"))


class NeedFilter(django_filters.FilterSet):
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=centre_filter_queryset)
    need_type = django_filters.ChoiceFilter(label=_("Need"), choices=NeedType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Need.Status.choices)
    subsector = django_filters.ModelChoiceFilter(
        label=_("Subsector"), field_name="company__subsector", queryset=Subsector.objects.all()
    )
    company = IntegerFilter(label=_("Company"), field_name="company", widget=forms.HiddenInput)

    class Meta:
        model = Need
        fields = []


class DiagnosisFilter(django_filters.FilterSet):
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=centre_filter_queryset)
    company = IntegerFilter(label=_("Company"), field_name="company", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Diagnosis.Status.choices)

    class Meta:
        model = Diagnosis
        fields = []
