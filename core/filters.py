"""Filters the apps' filter sets share: the same meaning on the page and in the API, strict in both.

Each accepts exactly what it documents in the API schema and answers anything else with a message
(a 400 in the API, a form error on the page), instead of silently ignoring it.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class YesNoFilter(django_filters.TypedChoiceFilter):
    """All / yes / no: a select on the page; ``true`` or ``false`` in the API."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class _Checkbox(forms.CheckboxInput):
    """A checkbox that passes an unknown value on (for the field to refuse) instead of reading it as ticked."""

    KNOWN = {"on": True, "true": True, "1": True, "false": False, "0": False, "": False}

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return False
        value = data.get(name)
        return self.KNOWN.get(str(value).lower(), value)


class _StrictBoolean(forms.BooleanField):
    def to_python(self, value):
        if isinstance(value, bool):
            return value
        raise ValidationError(_("Enter true or false."), code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class CheckFilter(django_filters.BooleanFilter):
    """A tick box on the page (``on``); ``true`` or ``false`` in the API. Unticked filters nothing."""

    field_class = _StrictBoolean

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _Checkbox)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number: a record's id (``?company=12``), a year (``?year=2024``)."""

    field_class = forms.IntegerField
