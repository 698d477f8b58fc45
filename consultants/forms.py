"""Forms of the consultant directory pages. They validate input; the rules live in services."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import Subsector
from core.models import Centre
from core.uploads import EVIDENCE, UploadField

from .models import EXPIRES_BEFORE_ISSUE, EXPIRY_WARNING_DAYS, AccreditationDocument, Consultant, SpecialtyArea
from .permissions import LINKABLE_ROLE
from .services import CONSULTANT_FIELDS, MAX_DOCUMENT_BYTES

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png"


class ConsultantForm(forms.ModelForm):
    subsectors = forms.ModelMultipleChoiceField(
        queryset=Subsector.objects.none(), label=_("Subsectors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=SpecialtyArea.objects.all(), label=_("Areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    centres = forms.ModelMultipleChoiceField(
        queryset=Centre.objects.none(), label=_("Centres served"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Consultant
        fields = [*CONSULTANT_FIELDS, "subsectors", "areas", "centres"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "hourly_fee": forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An inactive subsector or centre already on the record stays choosable, so that
        # saving the form does not silently drop it.
        current_subsectors = current_centres = []
        if self.instance.pk:
            current_subsectors = self.instance.subsectors.all()
            current_centres = self.instance.centres.all()
        self.fields["subsectors"].queryset = Subsector.objects.filter(Q(is_active=True) | Q(pk__in=current_subsectors))
        self.fields["centres"].queryset = Centre.objects.filter(Q(is_active=True) | Q(pk__in=current_centres))
        self.fields["hourly_fee"].validators.append(MinValueValidator(0))
        user = self.fields["user"]
        user.queryset = get_user_model().objects.filter(groups__name=LINKABLE_ROLE).order_by("last_name", "username")
        user.label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"
        user.help_text = _("Optional: the account the consultant signs in with.")

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONSULTANT_FIELDS}


class ConsultantStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Validation status"), choices=Consultant.Status.choices)


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AccreditationDocument.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    file = UploadField(
        label=_("File to upload"),
        help_text=_("PDF, JPG or PNG, at most 5 MB."),
        kinds=EVIDENCE,
        max_bytes=MAX_DOCUMENT_BYTES,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}),
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = _(
            "Leave empty if it does not expire. The administrators are reminded %(days)s days before."
        ) % {"days": EXPIRY_WARNING_DAYS}

    def clean(self):
        data = super().clean()
        issued_on, expires_on = data.get("issued_on"), data.get("expires_on")
        if issued_on and expires_on and expires_on < issued_on:
            self.add_error("expires_on", EXPIRES_BEFORE_ISSUE)
        return data
