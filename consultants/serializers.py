"""Serializers of the consultant directory API: what a request must look like, and how an entry is read."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clients.models import Subsector
from clients.serializers import ScopedPrimaryKeyRelatedField, visible_centres
from core.models import Centre

from .models import Consultant, SpecialtyArea


@extend_schema_field(OpenApiTypes.STR)
class AreaCodeField(serializers.SlugRelatedField):
    """An area of specialty by its code; a string in the schema (``area`` is the enum's name)."""


class ConsultantSerializer(serializers.ModelSerializer):
    """A directory entry with what the consultant did (services closed, average score, last service).

    Written by administrators; a new entry starts as proposed (validation has its own step).
    """

    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )
    full_name = serializers.CharField(source="__str__", read_only=True)
    subsectors = serializers.PrimaryKeyRelatedField(queryset=Subsector.objects.all(), many=True, required=False)
    areas = AreaCodeField(
        slug_field="code",
        queryset=SpecialtyArea.objects.all(),
        many=True,
        required=False,
        help_text=_("Codes of the areas: production, management, marketing, legal."),
    )
    centres = ScopedPrimaryKeyRelatedField(model=Centre, scope=visible_centres, many=True, required=False)
    hourly_fee = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    services_done = serializers.IntegerField(read_only=True)
    average_score = serializers.FloatField(read_only=True, allow_null=True)
    last_service = serializers.DateField(read_only=True, allow_null=True)
    open_services = serializers.IntegerField(read_only=True)

    class Meta:
        model = Consultant
        fields = [
            "id",
            "user",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "phone",
            "is_staff_member",
            "profession",
            "subsectors",
            "areas",
            "centres",
            "hourly_fee",
            "status",
            "status_label",
            "status_decided_at",
            "notes",
            "services_done",
            "average_score",
            "last_service",
            "open_services",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status_decided_at", "created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("centres"):
            raise serializers.ValidationError({"centres": [_("Choose at least one centre served.")]})
        return attrs

    def service_arguments(self) -> dict:
        """The validated data as consultant_save takes it; relations left out are not touched."""
        fields = dict(self.validated_data)
        return {
            "subsectors": fields.pop("subsectors", None),
            "areas": fields.pop("areas", None),
            "centres": fields.pop("centres", None),
            "fields": fields,
        }
