"""Serializers of the consultations API: the shape of a request; the rules stay in ``services``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clients.models import Company, Entrepreneur, Ubigeo
from clients.selectors import company_list, entrepreneur_list
from clients.serializers import ScopedPrimaryKeyRelatedField, default_centre, visible_centres
from core.models import Centre
from core.uploads import validate_upload

from . import selectors
from .models import Consultation, FactSheet, Supplier
from .services import CONSULTATION_FIELDS


class ConsultationSerializer(serializers.ModelSerializer):
    """A consultation as read, and as logged (the end defaults to now; a referral records a need)."""

    centre = ScopedPrimaryKeyRelatedField(
        model=Centre,
        scope=visible_centres,
        required=False,
        help_text=_("Required when you work for more than one centre."),
    )
    company = ScopedPrimaryKeyRelatedField(
        model=Company, scope=lambda user: company_list(user=user), required=False, allow_null=True
    )
    entrepreneur = ScopedPrimaryKeyRelatedField(
        model=Entrepreneur, scope=lambda user: entrepreneur_list(user=user), required=False, allow_null=True
    )
    contact_district = serializers.PrimaryKeyRelatedField(
        queryset=Ubigeo.objects.all(), required=False, allow_null=True
    )
    suppliers = ScopedPrimaryKeyRelatedField(
        model=Supplier, scope=lambda user: selectors.supplier_list(user=user), many=True, required=False
    )
    fact_sheets = ScopedPrimaryKeyRelatedField(
        model=FactSheet, scope=lambda user: selectors.fact_sheet_list(user=user), many=True, required=False
    )
    ended_at = serializers.DateTimeField(required=False, help_text=_("Leave out: now."))
    duration_minutes = serializers.FloatField(read_only=True)
    need_status = serializers.CharField(source="need.status", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Consultation
        fields = [
            "id", "centre", "channel", "topic", "subsector", "question", "answer", "started_at", "ended_at",
            "duration_minutes", "over_limit", "company", "entrepreneur", "contact_name", "contact_phone",
            "contact_district", "referral", "referral_course", "need", "need_status", "suppliers", "fact_sheets",
            "recorded_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["over_limit", "need", "recorded_by", "created_at"]

    def validate(self, attrs):
        if not attrs.get("centre"):
            attrs["centre"] = default_centre(self.context["request"].user)
        return attrs

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        return {
            "centre": data.pop("centre"),
            "suppliers": data.pop("suppliers", []),
            "fact_sheets": data.pop("fact_sheets", []),
            "fields": {name: value for name, value in data.items() if name in CONSULTATION_FIELDS},
        }


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["id", "name", "supplies", "subsector", "contact", "district", "source", "centre", "is_active"]


class FactSheetSerializer(serializers.ModelSerializer):
    file = serializers.FileField(required=False, allow_null=True, validators=[validate_upload])

    class Meta:
        model = FactSheet
        fields = ["id", "title", "body", "file", "subsector", "centre", "is_active"]
