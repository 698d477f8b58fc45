import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Currency, FundClosing, LoanMethod, Purpose


class DateInput(forms.DateInput):
    input_type = "date"


class LoanApplyForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    entrepreneur = forms.ModelChoiceField(label=_("Borrower"), queryset=None)
    amount = forms.DecimalField(label=_("Amount (S/)"), max_digits=14, decimal_places=2, min_value=0)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=240)
    grace_months = forms.IntegerField(label=_("Grace (months)"), min_value=0, initial=0)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    guarantee = forms.CharField(label=_("Guarantee"), max_length=300, required=False)
    applied_on = forms.DateField(label=_("Applied on"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, products, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["entrepreneur"].queryset = people


class LoanDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Approve")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    evaluation = forms.CharField(label=_("Evaluation"), widget=forms.Textarea(attrs={"rows": 3}))
    # Committees often decide on paper first: the officer records the day it was decided.
    on = forms.DateField(label=_("Decided on"), widget=DateInput, initial=timezone.localdate, required=False)


class LoanDisburseForm(forms.Form):
    on = forms.DateField(label=_("Disbursement date"), widget=DateInput, initial=timezone.localdate)


class RepaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount paid (S/)"), max_digits=14, decimal_places=2)
    date = forms.DateField(label=_("Payment date"), widget=DateInput, initial=timezone.localdate)
    # A new key each time the form is shown: submitting the same form twice posts once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)


class WriteOffForm(forms.Form):
    on = forms.DateField(label=_("Write-off date"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class SimulatorForm(forms.Form):
    principal = forms.DecimalField(label=_("Amount (S/)"), max_digits=14, decimal_places=2, min_value=1, initial=1000)
    monthly_rate = forms.DecimalField(label=_("Monthly rate (%)"), max_digits=6, decimal_places=3, min_value=0,
                                      max_value=100, initial=3.5)  # fmt: skip
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=240, initial=6)
    method = forms.ChoiceField(label=_("Method"), choices=LoanMethod.choices)
    fee_rate = forms.DecimalField(
        label=_("Fee (%)"), max_digits=6, decimal_places=3, min_value=0, max_value=99, initial=2
    )


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DateInput, required=False)


class TrancheForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.PEN)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class MarginForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, initial=timezone.localdate)


class FundCloseForm(forms.Form):
    as_of = forms.DateField(label=_("Balance at"), widget=DateInput, initial=timezone.localdate)
    decision = forms.ChoiceField(label=_("Decision"), choices=FundClosing.Decision.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EntryReverseForm(forms.Form):
    date = forms.DateField(label=_("Date of the correction"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("Why is it reversed?"), max_length=300)
