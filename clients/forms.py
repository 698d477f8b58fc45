from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import active_centres

from . import selectors
from .models import Company, Diagnosis, Entrepreneur, NeedType, Ubigeo
from .services import COMPANY_FIELDS, DIAGNOSIS_FIELDS, ENTREPRENEUR_FIELDS, clean_dni, clean_ruc

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CentreChoiceMixin:
    """Adds a centre field only when the user works for more than one centre."""

    def setup_centre(self, user, initial=None):
        choices = active_centres(user)
        if len(choices) > 1:
            # First on the form (form.fields is a plain dict: rebuild it in order).
            centre = forms.ModelChoiceField(choices, label=_("Centre"), initial=initial)
            self.fields = {"centre": centre, **self.fields}
        self.default_centre = choices[0] if len(choices) == 1 else None

    def chosen_centre(self):
        return self.cleaned_data.get("centre") or self.default_centre


class LocationFieldsMixin:
    """Department -> province -> district selects; the district is what is saved."""

    def setup_location(self, district_code: str | None):
        department = self.data.get("department") or (district_code or "")[:2]
        province = self.data.get("province") or (district_code or "")[:4]
        self.fields["department"] = forms.ChoiceField(
            label=_("Department"),
            choices=[("", "---------"), *selectors.departments()],
            required=False,
            initial=department,
        )
        self.fields["province"] = forms.ChoiceField(
            label=_("Province"),
            choices=[("", "---------"), *(selectors.provinces(department) if department else [])],
            required=False,
            initial=province,
        )
        self.fields["district"].queryset = selectors.districts(province) if province else Ubigeo.objects.none()
        if not province and self.data.get("district"):
            # Without JavaScript the chain is not filtered: accept any real district.
            self.fields["district"].queryset = Ubigeo.objects.all()
        self.fields["district"].label_from_instance = lambda u: u.district
        url = reverse("clients:location_options")
        self.fields["department"].widget.attrs.update(
            {"hx-get": url, "hx-target": "#id_province", "hx-trigger": "change", "data-clears": "id_district"}
        )
        self.fields["province"].widget.attrs.update(
            {"hx-get": url, "hx-target": "#id_district", "hx-trigger": "change"}
        )


class CompanyForm(CentreChoiceMixin, LocationFieldsMixin, forms.ModelForm):
    confirm_similar = forms.BooleanField(
        label=_("Yes, it is a different company: save it"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Company
        fields = list(COMPANY_FIELDS)
        widgets = {
            "product_lines": forms.Textarea(attrs={"rows": 3}),
            "sanitary_registration_date": DATE_WIDGET,
            "brand_registration_date": DATE_WIDGET,
            "ruc": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 11}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.setup_centre(user)
        self.fields["subsector"].queryset = selectors.active_subsectors()
        self.setup_location(self.instance.district_id if self.instance.pk else None)
        this_year = timezone.localdate().year
        self.fields["start_year"].widget.attrs.update({"min": 1900, "max": this_year})
        self.fields["sales_year"].widget.attrs.update({"min": 1990, "max": this_year})
        self.fields["sales_year"].initial = this_year - 1
        for name in ("permanent_men", "permanent_women", "temporary_men", "temporary_women"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["annual_sales"].widget.attrs.update({"min": 0, "step": "0.01", "inputmode": "decimal"})

    def clean_ruc(self):
        from core.exceptions import DomainError

        try:
            return clean_ruc(self.cleaned_data.get("ruc"))
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error

    def validate_unique(self):
        # The service checks RUC uniqueness and names the existing company; the database still guards it.
        pass

    def show_similar_confirmation(self):
        self.fields["confirm_similar"].widget = forms.CheckboxInput()

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EntrepreneurForm(CentreChoiceMixin, LocationFieldsMixin, forms.ModelForm):
    class Meta:
        model = Entrepreneur
        fields = list(ENTREPRENEUR_FIELDS)
        widgets = {
            "dni": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 8, "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "business_idea": forms.Textarea(attrs={"rows": 3}),
            "company": forms.HiddenInput,
        }

    # Ley 29733: an explicit yes or no, asked every time a person is registered (never a silent default).
    data_consent = forms.TypedChoiceField(
        label=_("Consents to the processing of their personal data"),
        help_text=_("Ley 29733: read the notice to the person and record their answer."),
        choices=[(True, _("Yes")), (False, _("No"))],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.setup_centre(user)
        if self.instance.pk is not None and self.instance.data_consent_date is None:
            # Registered before the question was asked: nothing is pre-selected, the editor must ask.
            self.initial["data_consent"] = None
        self.fields["company"].queryset = selectors.company_list(user=user)
        self.fields["district"].required = False
        self.setup_location(self.instance.district_id if self.instance.pk else None)

    def validate_unique(self):
        # The service checks DNI uniqueness and names the existing person; the database still guards it.
        pass

    def clean_dni(self):
        from core.exceptions import DomainError

        try:
            return clean_dni(self.cleaned_data.get("dni"))
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DiagnosisForm(forms.ModelForm):
    """The interview: baseline of figures 1-6 and the needs found (a tick and a note for each)."""

    class Meta:
        model = Diagnosis
        fields = list(DIAGNOSIS_FIELDS)
        widgets = {
            "date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "is_formal": forms.NullBooleanSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        for name in ("product_line_count", "workers_men", "workers_women"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["monthly_sales"].widget.attrs.update({"min": 0, "step": "0.01", "inputmode": "decimal"})
        existing = {n.need_type: n for n in self.instance.needs.all()} if self.instance.pk else {}
        for need_type, label in NeedType.choices:
            need = existing.get(need_type)
            self.fields[f"need_{need_type}"] = forms.BooleanField(label=label, required=False, initial=need is not None)
            self.fields[f"need_{need_type}_note"] = forms.CharField(
                label=_("What is needed"), required=False, max_length=300, initial=need.note if need else ""
            )

    @property
    def need_rows(self):
        return [(self[f"need_{t}"], self[f"need_{t}_note"]) for t in NeedType.values]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def needs(self) -> dict:
        return {t: self.cleaned_data[f"need_{t}_note"] for t in NeedType.values if self.cleaned_data.get(f"need_{t}")}


class ProblemNodeForm(forms.Form):
    kind = forms.ChoiceField(choices=[("central", "central"), ("cause", "cause"), ("effect", "effect")])
    text = forms.CharField(max_length=300, label=_("Text"))
    parent = forms.IntegerField(required=False)


class ProblemNodeEditForm(forms.Form):
    text = forms.CharField(max_length=300, required=False)
    to_address = forms.NullBooleanField(required=False)
