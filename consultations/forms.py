from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients import selectors as client_selectors
from clients.forms import CentreChoiceMixin
from clients.models import Ubigeo
from core.access import active_centres
from core.uploads import UploadField

from . import selectors
from .models import Consultation, FactSheet, Referral, Supplier
from .services import CONSULTATION_FIELDS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ConsultationForm(CentreChoiceMixin, forms.ModelForm):
    """The desk's one-screen form: who, what, the answer, a referral; the timer fills the times."""

    client_search = forms.CharField(
        label=_("Who asks"),
        required=False,
        help_text=_("Type a name, RUC or DNI and choose from the list; or fill in a new contact below."),
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "autofocus": True, "role": "combobox",
                   "aria-autocomplete": "list", "aria-controls": "client-results", "aria-expanded": "false"}
        ),
    )  # fmt: skip

    class Meta:
        model = Consultation
        fields = [*CONSULTATION_FIELDS, "suppliers", "fact_sheets"]
        widgets = {
            "started_at": forms.HiddenInput,
            "company": forms.HiddenInput,
            "entrepreneur": forms.HiddenInput,
            "ended_at": DATETIME_WIDGET,
            "question": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "suppliers": forms.SelectMultiple(attrs={"size": 4}),
            "fact_sheets": forms.SelectMultiple(attrs={"size": 4}),
        }
        labels = {"ended_at": _("Ended at (leave empty: when saved)")}

    def __init__(self, *args, user, remembered: dict | None = None, **kwargs):
        remembered = remembered or {}
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("started_at", timezone.now())
        if remembered.get("channel"):
            initial.setdefault("channel", remembered["channel"])
        super().__init__(*args, **kwargs)
        self.setup_centre(user, initial=remembered.get("centre"))
        # The search box comes first (autofocus); the centre, when there is a choice, goes with the channel.
        order = ["client_search", "company", "entrepreneur", "contact_name", "contact_phone", "contact_district",
                 "topic", "channel", "centre", "subsector", "question", "answer", "referral", "referral_course",
                 "suppliers", "fact_sheets", "ended_at", "started_at"]  # fmt: skip
        self.fields = {name: self.fields[name] for name in order if name in self.fields}
        self.fields["topic"].queryset = selectors.active_topics()
        self.fields["topic"].empty_label = None
        self.fields["subsector"].queryset = client_selectors.active_subsectors()
        self.fields["company"].queryset = client_selectors.company_list(user=user)
        self.fields["entrepreneur"].queryset = client_selectors.entrepreneur_list(user=user)
        departments = set(active_centres(user).values_list("department", flat=True))
        self.fields["contact_district"].queryset = Ubigeo.objects.filter(department__in=departments).order_by(
            "province", "district"
        )
        self.fields["contact_district"].label_from_instance = lambda u: f"{u.district} ({u.province})"
        self.fields["suppliers"].queryset = selectors.supplier_list(user=user).filter(is_active=True)
        self.fields["fact_sheets"].queryset = selectors.fact_sheet_list(user=user).filter(is_active=True)
        self.fields["started_at"].required = False
        self.fields["ended_at"].required = False
        self.fields["referral"].label = _("Refer to")
        self.fields["referral"].choices = [("", _("No referral")), *Referral.choices]
        self.fields["referral_course"].help_text = _("Optional: the course or offering, by name or number.")

    def _post_clean(self):
        # The form only shapes the input: the service builds the record and checks the times and who asked,
        # with messages that say why (the model's constraints would only name themselves).
        pass

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data.get(name) for name in CONSULTATION_FIELDS}
        if fields["started_at"] is None:
            fields["started_at"] = timezone.now()
        return fields


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "supplies", "subsector", "contact", "district", "source", "centre", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = active_centres(user)
        self.fields["subsector"].queryset = client_selectors.active_subsectors()
        departments = set(active_centres(user).values_list("department", flat=True))
        self.fields["district"].queryset = Ubigeo.objects.filter(department__in=departments).order_by(
            "province", "district"
        )
        self.fields["district"].label_from_instance = lambda u: f"{u.district} ({u.province})"


class FactSheetForm(forms.ModelForm):
    file = UploadField(label=_("File"), required=False)

    class Meta:
        model = FactSheet
        fields = ["title", "body", "file", "subsector", "centre", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = active_centres(user)
        self.fields["subsector"].queryset = client_selectors.active_subsectors()
