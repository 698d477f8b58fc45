"""The shape of training's API: reads, and the bodies of the writes (the rules are the services')."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clients.models import Entrepreneur
from consultants.models import Consultant
from core.access import active_centres
from core.models import Centre, User

from .models import Enrolment, FollowUp, Module, ModuleComponent, Offering, Session


class ComponentSerializer(serializers.ModelSerializer):
    # A plain code (manual, guide, entry_test, exit_test, content): "kind" names other choice sets in the schema.
    kind = serializers.CharField(read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = ModuleComponent
        fields = ["id", "kind", "has_file", "uploaded_at"]

    def get_has_file(self, component) -> bool:
        return bool(component.file)


class ModuleSerializer(serializers.ModelSerializer):
    subsector = serializers.StringRelatedField(allow_null=True)
    components = ComponentSerializer(many=True, read_only=True)
    centres = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "name", "subsector", "objectives", "hours", "audience", "delivered_on", "centres",
                  "components", "is_active"]  # fmt: skip


class ModuleCreateSerializer(serializers.ModelSerializer):
    centres = serializers.PrimaryKeyRelatedField(many=True, queryset=Centre.objects.all(), required=False)

    class Meta:
        model = Module
        fields = ["name", "subsector", "objectives", "hours", "audience", "delivered_on", "centres"]
        # The service says why a name is refused (a duplicate), in the user's language.
        extra_kwargs = {"name": {"validators": []}}


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "date", "start_time", "end_time", "topic"]


class OfferingSerializer(serializers.ModelSerializer):
    module_name = serializers.CharField(source="module.name", read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    enrolled = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta:
        model = Offering
        fields = ["id", "code", "module", "module_name", "centre", "centre_name", "status", "venue_kind", "venue",
                  "instructor_user", "instructor_consultant", "capacity", "price", "subsidy", "starts_on", "ends_on",
                  "enrolled", "waiting", "sessions"]  # fmt: skip


class OfferingCreateSerializer(serializers.Serializer):
    centre = serializers.PrimaryKeyRelatedField(queryset=Centre.objects.all())
    module = serializers.PrimaryKeyRelatedField(queryset=Module.objects.all())
    venue_kind = serializers.ChoiceField(choices=Offering.Venue.choices, default=Offering.Venue.CENTRE)
    venue = serializers.CharField(required=False, allow_blank=True, default="")
    instructor_user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    instructor_consultant = serializers.PrimaryKeyRelatedField(
        queryset=Consultant.objects.all(), required=False, allow_null=True
    )
    capacity = serializers.IntegerField(min_value=1, default=20)
    price = serializers.DecimalField(max_digits=14, decimal_places=2, default=0)
    subsidy = serializers.DecimalField(max_digits=14, decimal_places=2, default=0)

    def validate_centre(self, centre):
        if not active_centres(self.context["request"].user).filter(pk=centre.pk).exists():
            raise serializers.ValidationError(_("Not one of your centres."))
        return centre


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Offering.Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SessionCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    topic = serializers.CharField(required=False, allow_blank=True, default="")


class MarkSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    session = serializers.IntegerField()
    present = serializers.BooleanField()


class AttendanceSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True)


class ScoreSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    # Free numbers: the service refuses anything outside 0-20 with its own message.
    entry_score = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    exit_score = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)


class ScoresSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "due_on", "date", "result", "notes", "wants_assistance", "need"]


class EnrolmentSerializer(serializers.ModelSerializer):
    participant = serializers.CharField(source="entrepreneur.__str__", read_only=True)
    gain = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True, allow_null=True)
    followup = FollowUpSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Enrolment
        fields = ["id", "offering", "entrepreneur", "participant", "company", "status", "waiting_since",
                  "entry_score", "exit_score", "gain", "completed", "certificate_code", "voucher_code",
                  "followup"]  # fmt: skip


class EnrolmentCreateSerializer(serializers.Serializer):
    offering = serializers.IntegerField()
    entrepreneur = serializers.PrimaryKeyRelatedField(queryset=Entrepreneur.objects.all())
    # Both are looked up again through the scoped selectors: another centre's is a 404.
    voucher_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class FollowUpRecordSerializer(serializers.Serializer):
    date = serializers.DateField()
    result = serializers.ChoiceField(choices=FollowUp.Result.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    wants_assistance = serializers.BooleanField(required=False, default=False)
