"""The dashboard's period chooser, shared by the page, its downloads and the API."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import sees_all_centres, visible_centres

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """From, to and, for those who see every centre, one centre (empty: all of them)."""

    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("To"), widget=DATE)
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=None, required=False, empty_label=_("All centres"))

    def __init__(self, data=None, *, user, **kwargs):
        today = timezone.localdate()
        data = data.copy() if data is not None else {}
        # Without a period: this year up to today.
        if not data.get("date_from") and not data.get("date_to"):
            data["date_from"] = datetime.date(today.year, 1, 1).isoformat()
            data["date_to"] = today.isoformat()
        super().__init__(data, **kwargs)
        if sees_all_centres(user):
            self.fields["centre"].queryset = visible_centres(user).order_by("name")
        else:
            # A coordinator sees their own centre: nothing to choose.
            del self.fields["centre"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        return self.cleaned_data["date_from"], self.cleaned_data["date_to"]

    @property
    def chosen_centre(self):
        return self.cleaned_data.get("centre")
