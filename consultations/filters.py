"""Filters of the consultation list and the library: shared by the pages, the exports, the report and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import Subsector
from core.filters import YesNoFilter
from core.forms import centre_filter_queryset

from .models import Channel, Consultation, FactSheet, Referral, Supplier, Topic

DATE = forms.DateInput(attrs={"type": "date"})


class ConsultationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Question, answer or who asked")}),
    )
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=centre_filter_queryset)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    topic = django_filters.ModelChoiceFilter(label=_("Topic"), queryset=Topic.objects.all())
    subsector = django_filters.ModelChoiceFilter(label=_("Subsector"), queryset=Subsector.objects.all())
    referral = django_filters.ChoiceFilter(label=_("Referred to"), choices=Referral.choices)
    over_limit = YesNoFilter(label=_("Longer than the limit"))
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="started_at", lookup_expr="date__gte", widget=DATE
    )
    date_to = django_filters.DateFilter(label=_("To"), field_name="started_at", lookup_expr="date__lte", widget=DATE)
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("started_at", "started"), ("duration_seconds", "duration"), ("topic__name", "topic")],
        field_labels={
            "started": _("Date (oldest first)"),
            "-started": _("Date (newest first)"),
            "duration": _("Duration (shortest first)"),
            "-duration": _("Duration (longest first)"),
            "topic": _("Topic"),
            "-topic": _("Topic (Z-A)"),
        },
    )

    class Meta:
        model = Consultation
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(question__icontains=word)
                | Q(answer__icontains=word)
                | Q(contact_name__icontains=word)
                | Q(company__legal_name__icontains=word)
                | Q(company__trade_name__icontains=word)
                | Q(entrepreneur__first_name__icontains=word)
                | Q(entrepreneur__last_name__icontains=word)
            )
        return queryset


class SupplierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, what they supply or contact")}),
    )
    subsector = django_filters.ModelChoiceFilter(label=_("Subsector"), queryset=Subsector.objects.all())
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Supplier.Source.choices)
    o = django_filters.OrderingFilter(
        label=_("Sort by"), fields=[("name", "name")], field_labels={"name": _("Name"), "-name": _("Name (Z-A)")}
    )

    class Meta:
        model = Supplier
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(supplies__icontains=word) | Q(contact__icontains=word)
            )
        return queryset


class FactSheetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title or text")}),
    )
    subsector = django_filters.ModelChoiceFilter(label=_("Subsector"), queryset=Subsector.objects.all())
    o = django_filters.OrderingFilter(
        label=_("Sort by"), fields=[("title", "title")], field_labels={"title": _("Title"), "-title": _("Title (Z-A)")}
    )

    class Meta:
        model = FactSheet
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return queryset
