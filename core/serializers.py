from rest_framework import serializers

from .access import roles_of
from .models import Centre, Notification, ReportJob, User


class CentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Centre
        fields = ["id", "name", "department", "city", "is_active"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    centres = CentreSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "roles", "centres"]

    def get_roles(self, obj) -> list[str]:
        return sorted(roles_of(obj))


class ReportJobSerializer(serializers.ModelSerializer):
    """A requested document: its state and, once ready, where to download it."""

    title = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "title",
            "object_id",
            "parameters",
            "status",
            "error",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "status_url",
            "download_url",
        ]
        read_only_fields = fields

    def get_title(self, job) -> str:
        from .reports import job_display_name

        return job_display_name(job)

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_status_url(self, job) -> str:
        from django.urls import reverse

        return self._absolute(reverse("report-detail", args=[job.pk]))

    def get_download_url(self, job) -> str | None:
        from django.urls import reverse

        if job.status != job.Status.DONE:
            return None
        return self._absolute(reverse("report_download", args=[job.pk]))


class ReportRequestSerializer(serializers.Serializer):
    """What to print: a registered kind, its record and, for kinds that take them, parameters."""

    kind = serializers.CharField(max_length=60)
    object_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    parameters = serializers.DictField(required=False, default=dict)

    def validate_kind(self, value: str) -> str:
        from .reports import report_kinds

        if value not in report_kinds():
            raise serializers.ValidationError(f"Unknown kind; one of: {', '.join(sorted(report_kinds()))}.")
        return value


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "item", "due_on", "message", "url", "created_at", "read_at"]
        read_only_fields = fields
