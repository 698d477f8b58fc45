"""The dashboard's figures as JSON for other systems (a ministry's or a donor's reporting), scoped like the page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import visible_centres
from core.policy import PolicyPermission

from . import cache, selectors
from .permissions import policy


class SummaryQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(help_text=_("First day of the period (YYYY-MM-DD)."))
    date_to = serializers.DateField(help_text=_("Last day of the period (YYYY-MM-DD)."))
    centre = serializers.IntegerField(
        required=False, help_text=_("Only this centre (its id); without it, every centre the user sees.")
    )

    def validate(self, data):
        if data["date_from"] > data["date_to"]:
            raise serializers.ValidationError({"date_to": _("The end of the period is before its start.")})
        if "centre" in data:
            centre = visible_centres(self.context["request"].user).filter(pk=data["centre"]).first()
            if centre is None:
                raise serializers.ValidationError({"centre": _("No centre with this id that you may see.")})
            data["centre"] = centre
        return data


class Cuadro2RowSerializer(serializers.Serializer):
    service = serializers.ChoiceField(choices=list(selectors.SERVICES))
    centre = serializers.CharField(help_text=_("The centre's name."))
    companies = serializers.IntegerField()
    protoempresas = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer):
    companies = serializers.IntegerField(help_text=_("Companies served by any service, each counted once."))
    protoempresas = serializers.IntegerField(help_text=_("Emprendedores without a company served, each counted once."))


class SummarySerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    cuadro2 = Cuadro2RowSerializer(many=True, help_text=_("The seed's Cuadro 2: clients served by service and centre."))
    totals = TotalsSerializer()
    pipeline = serializers.JSONField(help_text=_("Technical-assistance services by stage, ageing and evaluations."))
    impact = serializers.JSONField(
        help_text=_("Indicators against target, satisfaction, registrations after a service.")
    )
    training = serializers.JSONField(help_text=_("Courses, participants, completion, test gain, follow-ups."))
    consultations = serializers.JSONField(help_text=_("Consultations by topic, channel and referral, with conversion."))
    credit = serializers.JSONField(help_text=_("Portfolio, PAR, delinquency by operator, paid out in the period."))
    profile = serializers.JSONField(help_text=_("Who the clients served were (the seed's figures 7 to 14)."))
    economics = serializers.JSONField(help_text=_("Revenue, subsidies and consultant fees by service."))


def summary(user, date_from, date_to, centre=None) -> dict:
    """The dashboard in the API's shape."""
    data = cache.dashboard(user, date_from, date_to, centre)
    table = data.pop("cuadro2")
    return {
        "date_from": date_from,
        "date_to": date_to,
        "cuadro2": [
            {key: row[key] for key in ("service", "centre", "companies", "protoempresas")} for row in table["rows"]
        ],
        "totals": table["totals"],
        **data,
    }


class SummaryView(APIView):
    """The managers' dashboard for a period: a coordinator gets their centre, the national manager every
    centre (or the one asked for) and the total."""

    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = "dashboard_view"

    @extend_schema(
        parameters=[SummaryQuerySerializer],
        responses={200: SummarySerializer, 400: OpenApiResponse(description=_("A date or the centre is not valid."))},
    )
    def get(self, request):
        query = SummaryQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        return Response(SummarySerializer(summary(request.user, **query.validated_data)).data)
