"""The funds lists' filters, shared by the pages, their exports and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter

from .models import AEO, BusinessPlan, Contest, ProductiveChain, Voucher


def _search_widget(placeholder):
    return forms.TextInput(attrs={"type": "search", "placeholder": placeholder})


class VoucherFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=_search_widget(_("Code, company or person"))
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Voucher.Status.choices)
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("valid_until", "valid_until"), ("amount", "amount")],
        field_labels={"valid_until": _("Valid until"), "amount": _("Amount")},
    )

    class Meta:
        model = Voucher
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(code__icontains=word)
                | Q(holder_company__legal_name__icontains=word)
                | Q(holder_entrepreneur__last_name__icontains=word)
                | Q(holder_entrepreneur__first_name__icontains=word)
            )
        return queryset


class AEOFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_widget(_("Name or RUC")))
    kind = django_filters.ChoiceFilter(label=_("Kind of AEO"), choices=AEO.Kind.choices)

    class Meta:
        model = AEO
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(ruc__icontains=word))
        return queryset


class ContestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_widget(_("Name or owner")))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Contest.Status.choices)
    year = IdFilter(label=_("Year"))  # a whole number: ?year=0.5 is a 400, as the API schema says

    class Meta:
        model = Contest
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(owner__icontains=word))
        return queryset


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_widget(_("Title or AEO")))
    contest = django_filters.ModelChoiceFilter(label=_("Contest"), queryset=Contest.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BusinessPlan.Status.choices)
    chain = django_filters.ModelChoiceFilter(label=_("Productive chain"), queryset=ProductiveChain.objects.all())

    class Meta:
        model = BusinessPlan
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(aeo__name__icontains=word))
        return queryset
