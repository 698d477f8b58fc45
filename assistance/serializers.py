"""Serializers of the assistance API: what a request must look like, and how records are read.

They check the shape of a request (numbers, dates, ranges, related ids the user may
see); the rules of the service itself are the services' (a DomainError becomes a 400).

Choice fields that several models share a name with (``stage``, ``kind``, ``status``)
are read as plain strings, with their label beside them: the OpenAPI schema then has
one enum per name and no naming collisions.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clients.models import Company, Diagnosis, ProblemNode
from clients.serializers import ScopedPrimaryKeyRelatedField, visible_companies
from consultants.models import Area, Consultant
from consultants.selectors import consultant_list
from core.access import scope_to_user

from . import selectors
from .models import (
    Activity,
    BudgetLine,
    Evaluation,
    FundingLine,
    ImprovementItem,
    Indicator,
    Service,
    ServiceType,
    Stage,
    TechnicalReport,
    Visit,
)
from .permissions import policy
from .services import workflow


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """A choice validated like any other, documented as a plain string (its help text lists the values).

    For names that several models use with different choices (``kind``): an enum per
    model would collide in the schema.
    """


def visible_consultants(user):
    return consultant_list(user=user)


def visible_diagnoses(user):
    return scope_to_user(Diagnosis.objects.all(), user)


def visible_nodes(user):
    return scope_to_user(ProblemNode.objects.all(), user, centre_field="diagnosis__centre")


def visible_improvements(user):
    return ImprovementItem.objects.filter(service__in=selectors.service_list(user=user))


# --- Parts of a service (read) ---------------------------------------------------------------


class ServiceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class ServiceImprovementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImprovementItem
        fields = ["id", "problem_node", "problem", "improvement", "expected_result", "position"]
        read_only_fields = fields


class ServiceBudgetLineSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "kind", "kind_label", "description", "quantity", "unit_cost", "amount"]
        read_only_fields = fields


class ServiceFundingLineSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = FundingLine
        fields = ["id", "kind", "kind_label", "description", "voucher_code", "amount"]
        read_only_fields = fields


class ServiceActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["id", "description", "responsible", "planned_start", "planned_end", "planned_hours", "progress"]
        read_only_fields = fields


class ServiceIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "improvement",
            "name",
            "unit",
            "baseline",
            "target",
            "how_measured",
            "measured_value",
            "measured_on",
        ]
        read_only_fields = fields


class ServiceVisitSerializer(serializers.ModelSerializer):
    consultant_name = serializers.CharField(source="consultant", read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "consultant", "consultant_name", "date", "hours", "notes"]
        read_only_fields = fields


class ServiceReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = TechnicalReport
        fields = ["summary", "results", "recommendations", "submitted_by", "submitted_at"]
        read_only_fields = fields


class ServiceEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = [
            "date",
            "evaluator",
            "satisfaction",
            "comments",
            "further_services_requested",
            "further_services_note",
        ]
        read_only_fields = fields


# --- The service (read) ----------------------------------------------------------------------


class ServiceListSerializer(serializers.ModelSerializer):
    """A service as a row of the list: who, what, where it stands and what it costs."""

    company = ServiceRefSerializer(read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    service_type_name = serializers.CharField(source="service_type.name", read_only=True)
    area = serializers.CharField(read_only=True)
    stage = serializers.CharField(read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    owner_decision = serializers.CharField(read_only=True)
    consultants = ServiceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "code",
            "title",
            "company",
            "centre",
            "centre_name",
            "service_type",
            "service_type_name",
            "area",
            "stage",
            "stage_label",
            "stage_changed_at",
            "promoter",
            "consultants",
            "owner_decision",
            "total_cost",
            "total_funding",
            "owner_share",
            "created_at",
        ]
        read_only_fields = fields


class ServiceSerializer(ServiceListSerializer):
    """The whole file of a service (its expediente), and what the requesting user may do with it next.

    ``allowed_transitions``: the stages the user could move it to right now.
    ``blocking_reasons``: what stands in the way of the next stage, whoever moves it.
    """

    addressed_nodes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    owner_decision_on = serializers.DateField(read_only=True)
    improvements = ServiceImprovementSerializer(many=True, read_only=True)
    budget_lines = ServiceBudgetLineSerializer(many=True, read_only=True)
    funding_lines = ServiceFundingLineSerializer(many=True, read_only=True)
    activities = ServiceActivitySerializer(many=True, read_only=True)
    indicators = ServiceIndicatorSerializer(many=True, read_only=True)
    visits = ServiceVisitSerializer(many=True, read_only=True)
    report = serializers.SerializerMethodField()
    evaluation = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    blocking_reasons = serializers.SerializerMethodField()

    class Meta(ServiceListSerializer.Meta):
        fields = [
            *ServiceListSerializer.Meta.fields,
            "diagnosis",
            "addressed_nodes",
            "owner_decision_on",
            "price_approved_by",
            "price_approved_at",
            "budgeted_hours",
            "execution_ended_on",
            "cancel_reason",
            "improvements",
            "budget_lines",
            "funding_lines",
            "activities",
            "indicators",
            "visits",
            "report",
            "evaluation",
            "allowed_transitions",
            "blocking_reasons",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ServiceReportSerializer(allow_null=True))
    def get_report(self, service) -> dict | None:
        report = selectors.report_of(service)
        return ServiceReportSerializer(report).data if report else None

    @extend_schema_field(ServiceEvaluationSerializer(allow_null=True))
    def get_evaluation(self, service) -> dict | None:
        evaluation = selectors.evaluation_of(service)
        return ServiceEvaluationSerializer(evaluation).data if evaluation else None

    def _problems(self, service) -> list[str]:
        # Computed once per service object and shared by both fields (it runs a few queries).
        if not hasattr(service, "_transition_problems"):
            target = workflow.next_stage(service.stage)
            problems = workflow.transition_problems(service, target) if target else []
            service._transition_problems = [str(p) for p in problems]
        return service._transition_problems

    def get_allowed_transitions(self, service) -> list[str]:
        request = self.context.get("request")
        user = request.user if request else None
        target = workflow.next_stage(service.stage)
        allowed = []
        if target and workflow.can_advance(user, service) and not self._problems(service):
            allowed.append(target)
        if service.is_open and policy.can(user, "service_cancel", service):
            allowed.append(Stage.CANCELLED)
        return [str(stage) for stage in allowed]

    def get_blocking_reasons(self, service) -> list[str]:
        return self._problems(service)


# --- Requests --------------------------------------------------------------------------------


class ServiceCreateSerializer(serializers.Serializer):
    """Opening a service for a company of the user's centres, in the promotion stage."""

    company = ScopedPrimaryKeyRelatedField(model=Company, scope=visible_companies)
    service_type = serializers.PrimaryKeyRelatedField(queryset=ServiceType.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    area = serializers.ChoiceField(choices=Area.choices, default=Area.PRODUCTION)


class ServiceAdvanceSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices, help_text=_("The next stage."))


class ServiceCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why the service is cancelled."))


class ServiceReopenSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices, help_text=_("An earlier stage to go back to."))
    reason = serializers.CharField(help_text=_("Why the service is reopened."))


class ServiceDiagnosisLinkSerializer(serializers.Serializer):
    diagnosis = ScopedPrimaryKeyRelatedField(model=Diagnosis, scope=visible_diagnoses)
    nodes = ScopedPrimaryKeyRelatedField(
        model=ProblemNode, scope=visible_nodes, many=True, help_text=_("Problems of the tree the service addresses.")
    )


class ServiceConsultantAssignSerializer(serializers.Serializer):
    consultant = ScopedPrimaryKeyRelatedField(model=Consultant, scope=visible_consultants)


class ServiceImprovementCreateSerializer(serializers.Serializer):
    problem_node = ScopedPrimaryKeyRelatedField(model=ProblemNode, scope=visible_nodes, required=False, allow_null=True)
    problem = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    improvement = serializers.CharField(max_length=300)
    expected_result = serializers.CharField(max_length=300)


class ServiceBudgetLineCreateSerializer(serializers.Serializer):
    kind = PlainChoiceField(
        choices=BudgetLine.Kind.choices, help_text=_("One of: fees (hours x fee), materials, travel, other.")
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    unit_cost = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("For fees, omit it to use the hourly fee of the service's consultant."),
    )


class ServiceFundingLineCreateSerializer(serializers.Serializer):
    kind = PlainChoiceField(
        choices=FundingLine.Kind.choices,
        help_text=_("One of: subsidy, voucher (BonoPyME, with its code), cofinancing."),
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    voucher_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class ServiceOwnerDecisionSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    on = serializers.DateField(required=False, allow_null=True, help_text=_("Today when left out."))


class ServiceActivityCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    responsible = serializers.CharField(max_length=120)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    planned_hours = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0)


class ServiceIndicatorCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=40)
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    how_measured = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    improvement = ScopedPrimaryKeyRelatedField(
        model=ImprovementItem,
        scope=visible_improvements,
        required=False,
        allow_null=True,
        help_text=_("An item of this service's improvement plan."),
    )


class ServiceVisitCreateSerializer(serializers.Serializer):
    consultant = ScopedPrimaryKeyRelatedField(model=Consultant, scope=visible_consultants)
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    notes = serializers.CharField()


class ServiceReportCreateSerializer(serializers.Serializer):
    summary = serializers.CharField()
    results = serializers.CharField()
    recommendations = serializers.CharField(required=False, allow_blank=True, default="")
    ended_on = serializers.DateField(required=False, allow_null=True, help_text=_("Today when left out."))


class ServiceEvaluationCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    satisfaction = serializers.IntegerField(
        min_value=1, max_value=10, help_text=_("On the centre's scale (1-5 unless changed).")
    )
    comments = serializers.CharField(required=False, allow_blank=True, default="")
    measures = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2),
        help_text=_("The value measured for every indicator, as {indicator id: value}."),
    )
    further_services_requested = serializers.BooleanField(default=False)
    further_services_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_measures(self, measures):
        try:
            return {int(key): value for key, value in measures.items()}
        except ValueError as exc:
            raise serializers.ValidationError(_("The keys are the ids of the indicators.")) from exc
