"""The loan list's filters, shared by the page, its export and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import CheckFilter

from .models import Loan, Operator


class LoanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Borrower, DNI or company")}),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Loan.Status.choices)
    operator = django_filters.ModelChoiceFilter(label=_("Operator"), queryset=Operator.objects.all())
    in_arrears = CheckFilter(label=_("In arrears"), method="only_in_arrears")
    o = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[("applied_on", "applied_on"), ("amount", "amount"), ("oldest_unpaid_due", "late")],
        field_labels={
            "applied_on": _("Application date"),
            "amount": _("Amount"),
            "late": _("Oldest unpaid instalment"),
        },
    )

    class Meta:
        model = Loan
        fields = []

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(entrepreneur__first_name__icontains=word)
                | Q(entrepreneur__last_name__icontains=word)
                | Q(entrepreneur__dni__icontains=word)
                | Q(company__legal_name__icontains=word)
            )
        return queryset

    def only_in_arrears(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=Loan.Status.DISBURSED, oldest_unpaid_due__lt=timezone.localdate())
