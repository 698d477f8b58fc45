from rest_framework import serializers

from .access import roles_of
from .models import Centre, User


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
