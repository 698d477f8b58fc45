from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Diagnosis, ProblemNode
from consultants.models import Area, Consultant
from core.selectors import centre_settings
from core.uploads import UploadField

from .models import OPEN_STAGES, Activity, BudgetLine, FundingLine, Indicator, ServiceType, Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ATTRS = {"min": 0, "step": "0.01", "inputmode": "decimal"}


class ServiceOpenForm(forms.Form):
    company = forms.ModelChoiceField(queryset=None, label=_("Company"))
    service_type = forms.ModelChoiceField(queryset=ServiceType.objects.filter(is_active=True), label=_("Service type"))
    area = forms.ChoiceField(choices=Area.choices, label=_("Area"))
    title = forms.CharField(
        max_length=200, label=_("Title"), help_text=_("What the service will improve, in a few words.")
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class LinkDiagnosisForm(forms.Form):
    prefix = "link"

    diagnosis = forms.ModelChoiceField(queryset=None, label=_("Diagnosis"))
    nodes = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Problems the service will address"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        diagnoses = Diagnosis.objects.filter(company_id=service.company_id, status=Diagnosis.Status.COMPLETED)
        self.fields["diagnosis"].queryset = diagnoses
        # Usually there is one completed diagnosis, or the latest is the one to use.
        self.fields["diagnosis"].initial = (
            service.diagnosis_id or diagnoses.order_by("-date", "-id").values_list("id", flat=True).first()
        )
        # The problems chosen for action while building the tree ("mark to address") are the service's scope.
        self.fields["nodes"].queryset = ProblemNode.objects.filter(diagnosis__in=diagnoses, to_address=True).exclude(
            kind="central"
        )
        self.fields["nodes"].help_text = _(
            "Only the problems marked “to address” in the diagnosis's tree are offered: mark them there."
        )
        self.fields["nodes"].label_from_instance = lambda n: f"{n.get_kind_display()}: {n.text}"


class AssignConsultantForm(forms.Form):
    prefix = "assign"

    consultant = forms.ModelChoiceField(queryset=None, label=_("Consultant"))

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = Consultant.objects.filter(
            status=Consultant.Status.VALIDATED, centres=service.centre_id
        ).distinct()


class ImprovementForm(forms.Form):
    # Several forms share one page: prefixes keep their field ids apart.
    prefix = "improvement"

    problem_node = forms.ModelChoiceField(queryset=None, required=False, label=_("Problem of the tree"))
    problem = forms.CharField(max_length=300, required=False, label=_("Problem"))
    improvement = forms.CharField(max_length=300, label=_("Improvement"))
    expected_result = forms.CharField(max_length=300, label=_("Expected result"))

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_node"].queryset = service.addressed_nodes.all()
        self.fields["problem_node"].label_from_instance = lambda n: f"{n.get_kind_display()}: {n.text}"


class BudgetLineForm(forms.ModelForm):
    prefix = "budget"

    class Meta:
        model = BudgetLine
        fields = ["kind", "description", "quantity", "unit_cost"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].min_value = 0
        self.fields["quantity"].widget.attrs.update({"min": 0, "step": "0.25", "inputmode": "decimal"})
        self.fields["unit_cost"].min_value = 0
        self.fields["unit_cost"].widget.attrs.update(MONEY_ATTRS)
        # Fees: empty means the hourly fee of the service's consultant (hours x fee), as the service does.
        self.fields["unit_cost"].required = False
        self.fields["unit_cost"].help_text = _("For consultant fees, leave empty to use the consultant's hourly fee.")


class FundingLineForm(forms.ModelForm):
    prefix = "funding"

    class Meta:
        model = FundingLine
        fields = ["kind", "description", "voucher_code", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(MONEY_ATTRS)

    def validate_unique(self):
        # The service checks the voucher (and names it); the database still guards it.
        pass


class OwnerDecisionForm(forms.Form):
    prefix = "decision"

    accepted = forms.TypedChoiceField(
        choices=[("yes", _("The owner accepts the proposal")), ("no", _("The owner rejects the proposal"))],
        coerce=lambda v: v == "yes",
        label=_("Owner's decision"),
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)


class ActivityForm(forms.ModelForm):
    prefix = "activity"

    class Meta:
        model = Activity
        fields = ["description", "responsible", "planned_start", "planned_end", "planned_hours"]
        widgets = {"planned_start": DATE, "planned_end": DATE}


class IndicatorForm(forms.ModelForm):
    prefix = "indicator"

    class Meta:
        model = Indicator
        fields = ["improvement", "name", "unit", "baseline", "target", "how_measured"]

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["improvement"].queryset = service.improvements.all()


class VisitForm(forms.Form):
    prefix = "visit"

    consultant = forms.ModelChoiceField(queryset=None, label=_("Consultant"))
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=6, decimal_places=2)
    notes = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = UploadField(label=_("Attachment"), required=False)

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        consultants = service.consultants.all()
        self.fields["consultant"].queryset = consultants
        if len(consultants) == 1:
            self.fields["consultant"].initial = consultants[0].pk


class ReportForm(forms.Form):
    prefix = "report"

    ended_on = forms.DateField(label=_("Execution ended on"), widget=DATE, initial=timezone.localdate)
    summary = forms.CharField(label=_("Summary of the work"), widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = UploadField(label=_("Report file"), required=False)


class EvaluationForm(forms.Form):
    prefix = "evaluation"

    date = forms.DateField(label=_("Date of the visit"), widget=DATE, initial=timezone.localdate)
    satisfaction = forms.TypedChoiceField(label=_("Owner's satisfaction"), coerce=int, widget=forms.RadioSelect)
    comments = forms.CharField(label=_("Owner's comments"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    further_services_requested = forms.BooleanField(label=_("Asks for further services"), required=False)
    further_services_note = forms.CharField(label=_("Which services"), required=False, max_length=300)

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        # The scale is the centre's (its settings record): 1 to 5 unless the centre changed it.
        scale = centre_settings(service.centre_id).satisfaction_scale
        self.fields["satisfaction"].choices = [(i, str(i)) for i in range(1, scale + 1)]
        self.fields["satisfaction"].label = _("Owner's satisfaction (1-%(top)s)") % {"top": scale}
        self.indicators = list(service.indicators.all())
        for indicator in self.indicators:
            self.fields[f"measure_{indicator.pk}"] = forms.DecimalField(
                label=_("%(name)s (%(unit)s): baseline %(baseline)s, target %(target)s")
                % {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "baseline": indicator.baseline,
                    "target": indicator.target,
                },
                max_digits=14,
                decimal_places=2,
            )

    def measures(self) -> dict:
        return {i.pk: self.cleaned_data[f"measure_{i.pk}"] for i in self.indicators}

    @property
    def measure_fields(self):
        return [self[f"measure_{i.pk}"] for i in self.indicators]


class CancelForm(forms.Form):
    prefix = "cancel"

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    prefix = "reopen"

    to_stage = forms.ChoiceField(label=_("Reopen at"), choices=[(s.value, s.label) for s in Stage if s in OPEN_STAGES])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    progress = forms.IntegerField(min_value=0, max_value=100, label=_("Progress (%)"))
