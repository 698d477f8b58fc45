from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Ubigeo
from core.uploads import EVIDENCE, UploadField

from .models import AEO, AEOMember, Category, InvestmentLine, ProductiveChain, PurchaseStep

MONEY = {"max_digits": 14, "decimal_places": 2}


class DateInput(forms.DateInput):
    input_type = "date"


class VoucherIssueForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    code = forms.CharField(label=_("Code"), max_length=40)
    holder_company = forms.ModelChoiceField(label=_("Holder company"), queryset=None, required=False)
    holder_entrepreneur = forms.ModelChoiceField(label=_("Holder person"), queryset=None, required=False)
    amount = forms.DecimalField(label=_("Amount (S/)"), min_value=0, **MONEY)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)

    def __init__(self, *args, programmes, companies, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["holder_company"].queryset = companies
        self.fields["holder_entrepreneur"].queryset = people


class AEOForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of AEO"), choices=AEO.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    ruc = forms.CharField(label=_("RUC"), max_length=11, required=False, help_text=_("For a legal person."))
    founded_on = forms.DateField(label=_("Date of constitution"), widget=DateInput, required=False)
    annual_sales = forms.DecimalField(label=_("Annual sales (S/)"), min_value=0, required=False, **MONEY)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Ubigeo.objects.all(), widget=forms.TextInput, to_field_name="code",
        help_text=_("The six-digit ubigeo code, e.g. 080901 (Santa Ana, La Convención)."),
    )  # fmt: skip
    minutes = UploadField(label=_("Certified minutes of constitution (acta)"), kinds=EVIDENCE, required=False)
    minutes_certified_by = forms.CharField(label=_("Minutes certified by"), max_length=120, required=False)

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        if centres.count() == 1:
            self.fields["centre"].initial = centres.first()


class MemberForm(forms.Form):
    dni = forms.CharField(label=_("DNI"), max_length=8, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    board_role = forms.ChoiceField(label=_("Board role"), choices=AEOMember.BoardRole.choices)
    entrepreneur = forms.ModelChoiceField(label=_("Or a person already registered"), queryset=None, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrepreneur"].queryset = people


class ContestForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=None)
    name = forms.CharField(label=_("Name of the contest"), max_length=200)
    owner = forms.CharField(
        label=_("Owner of the fund"), max_length=200, help_text=_("E.g. Gobierno Regional de Cusco.")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2009, max_value=2100)
    budget = forms.DecimalField(label=_("Budget (S/)"), min_value=0, **MONEY)
    uit_value = forms.DecimalField(
        label=_("UIT of the contest (S/)"), min_value=0, required=False, help_text=_("Empty: the UIT of the year."),
        **MONEY,
    )  # fmt: skip
    chains = forms.ModelMultipleChoiceField(
        label=_("Prioritised productive chains"), queryset=ProductiveChain.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    zones = forms.CharField(
        label=_("Prioritised zones"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Provinces, one per line. Empty: every zone."),
    )  # fmt: skip
    call_on = forms.DateField(label=_("Call published on"), widget=DateInput)
    submissions_until = forms.DateField(label=_("Business plans received until"), widget=DateInput)
    evaluation_until = forms.DateField(label=_("Evaluation until"), widget=DateInput)
    results_on = forms.DateField(label=_("Winners' resolution on"), widget=DateInput)
    committee = forms.ModelMultipleChoiceField(
        label=_("Evaluation committee"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, centres, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.fields["committee"].queryset = staff
        if centres.count() == 1:
            self.fields["centre"].initial = centres.first()


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "description", "legal_person_only", "min_members", "min_years", "min_sales_uit", "max_sales_uit",
            "min_cofinancing", "max_cofinancing", "min_counterpart_share", "min_monetary_share", "max_public_share",
        ]  # fmt: skip


class PlanForm(forms.Form):
    aeo = forms.ModelChoiceField(label=_("AEO"), queryset=None)
    chain = forms.ModelChoiceField(label=_("Productive chain"), queryset=None)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    title = forms.CharField(label=_("Title of the business plan"), max_length=200)
    execution_days = forms.IntegerField(label=_("Execution period (days)"), min_value=1, initial=120)
    direct_jobs = forms.IntegerField(label=_("Direct jobs"), min_value=0, initial=0)
    indirect_jobs = forms.IntegerField(label=_("Indirect jobs"), min_value=0, initial=0)

    def __init__(self, *args, contest, aeos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aeo"].queryset = aeos
        chains = contest.chains.all()
        self.fields["chain"].queryset = chains if chains.exists() else ProductiveChain.objects.filter(is_active=True)
        self.fields["category"].queryset = contest.categories.all()


class LineForm(forms.Form):
    prefix = "line"
    kind = forms.ChoiceField(label=_("Goods or services"), choices=InvestmentLine.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=200)
    specification = forms.CharField(label=_("Technical specification"), max_length=500, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=10, decimal_places=2)
    unit_price = forms.DecimalField(label=_("Unit price (S/)"), min_value=0, **MONEY)
    source = forms.ChoiceField(label=_("Paid by"), choices=InvestmentLine.Source.choices)


class ScoreForm(forms.Form):
    """One score per criterion, 0-100; built from the contest's criteria."""

    def __init__(self, *args, criteria, initial_scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=f"{c.name} ({c.weight:g} %)", min_value=0, max_value=100, max_digits=5, decimal_places=2,
                initial=initial_scores.get(c.pk),
            )  # fmt: skip

    def scores(self):
        return [(c, self.cleaned_data[f"c{c.pk}"]) for c in self.criteria]


class WinnersForm(forms.Form):
    resolution_number = forms.CharField(label=_("Resolution number"), max_length=80, required=False)


class PurchaseForm(forms.Form):
    prefix = "purchase"
    description = forms.CharField(label=_("What is bought"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (S/)"), min_value=0, **MONEY)
    requirement_on = forms.DateField(label=_("Requirement on"), widget=DateInput)
    planned_days = forms.IntegerField(label=_("Planned days"), min_value=1, required=False)
    situation_on = forms.DateField(label=_("Situation as of"), widget=DateInput, required=False)


class StepForm(forms.Form):
    prefix = "step"
    kind = forms.ChoiceField(label=_("Step"), choices=PurchaseStep.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    days = forms.IntegerField(label=_("Days (extension)"), min_value=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
