"""Forms of the training pages; the rules are the services', these only check the shape of the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Subsector
from consultants.models import Consultant
from core.access import active_centres
from core.models import Centre, User
from core.uploads import UploadField

from .models import FollowUp, Module, ModuleComponent, Offering

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ModuleForm(forms.ModelForm):
    centres = forms.ModelMultipleChoiceField(
        label=_("Centres that hold it"),
        queryset=Centre.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Module
        fields = ["name", "subsector", "objectives", "hours", "audience", "delivered_on", "is_active"]
        widgets = {"delivered_on": DATE, "objectives": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subsector"].queryset = Subsector.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["centres"].initial = list(self.instance.centres.all())


class ComponentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Material"), choices=ModuleComponent.Kind.choices)
    file = UploadField(label=_("File to upload"))


class OfferingForm(forms.ModelForm):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())

    class Meta:
        model = Offering
        fields = ["module", "venue_kind", "venue", "instructor_user", "instructor_consultant", "capacity", "price",
                  "subsidy"]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        centres = active_centres(user)
        self.fields["centre"].queryset = centres
        if centres.count() == 1:
            self.fields["centre"].initial = centres.first()
        if self.instance.pk:
            del self.fields["centre"]
            del self.fields["module"]
        else:
            self.fields["module"].queryset = Module.objects.filter(is_active=True)
        self.fields["instructor_user"].queryset = User.objects.filter(is_active=True, centres__in=centres).distinct()
        self.fields["instructor_consultant"].queryset = Consultant.objects.filter(
            status=Consultant.Status.VALIDATED, centres__in=centres
        ).distinct()
        self.fields["instructor_user"].required = False
        self.fields["instructor_consultant"].required = False


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("From"), widget=TIME)
    end_time = forms.TimeField(label=_("Until"), widget=TIME)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Offering.Status.choices)
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300, required=False)


class EnrolForm(forms.Form):
    entrepreneur = forms.ModelChoiceField(label=_("Participant"), queryset=None)
    voucher_code = forms.CharField(
        label=_("BonoPyME voucher (optional)"), max_length=30, required=False,
        help_text=_("Its code, when a voucher pays the participant's fee."),
    )  # fmt: skip

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entrepreneur"].queryset = people


class AttendanceForm(forms.Form):
    """The whole list at once: one checkbox per participant and session."""

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        for row in grid["rows"]:
            for session, present in row["cells"]:
                name = f"att-{row['enrolment'].pk}-{session.pk}"
                self.fields[name] = forms.BooleanField(
                    label=f"{row['enrolment'].entrepreneur} · {session.date:%d/%m}", required=False, initial=present
                )

    def marks(self) -> list[tuple[int, int, bool]]:
        return [
            (row["enrolment"].pk, session.pk, bool(self.cleaned_data.get(f"att-{row['enrolment'].pk}-{session.pk}")))
            for row in self.grid["rows"]
            for session, _present in row["cells"]
        ]


class ScoresForm(forms.Form):
    """Entry and exit scores of the whole list; the 0-20 rule is the service's."""

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for e in enrolments:
            for kind, value in (("entry", e.entry_score), ("exit", e.exit_score)):
                self.fields[f"{kind}-{e.pk}"] = forms.CharField(
                    label=f"{e.entrepreneur} · {kind}",
                    required=False,
                    initial="" if value is None else value,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
                )

    def scores(self) -> dict[int, tuple]:
        return {
            e.pk: (self.cleaned_data.get(f"entry-{e.pk}") or None, self.cleaned_data.get(f"exit-{e.pk}") or None)
            for e in self.enrolments
        }


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("Date of the visit"), widget=DATE)
    result = forms.ChoiceField(label=_("Was the course applied?"), choices=FollowUp.Result.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    wants_assistance = forms.BooleanField(label=_("Wants technical assistance"), required=False)
