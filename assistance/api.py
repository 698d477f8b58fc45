"""REST API of technical assistance: the services (SAT) with their stages.

Thin views, as in the pages: the app's policy answers who may (``PolicyPermission``;
each action names its ``policy_action``), a serializer checks the request's shape,
one service does the write (its DomainError becomes a 400 in ``core.api.exception_handler``, and the transaction
leaves nothing changed), and every record comes from the scoped selectors, so another
centre's service, or for a consultant a service not assigned to them, is a 404.

Every write on a service answers with the whole service as it is afterwards, so a
client sees the new totals, stage and allowed transitions without asking again.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.idempotency import api_once_per_key
from core.policy import PolicyPermission

from . import selectors
from .filters import ServiceFilter
from .models import Service
from .permissions import policy
from .serializers import (
    ServiceActivityCreateSerializer,
    ServiceAdvanceSerializer,
    ServiceBudgetLineCreateSerializer,
    ServiceCancelSerializer,
    ServiceConsultantAssignSerializer,
    ServiceCreateSerializer,
    ServiceDiagnosisLinkSerializer,
    ServiceEvaluationCreateSerializer,
    ServiceFundingLineCreateSerializer,
    ServiceImprovementCreateSerializer,
    ServiceIndicatorCreateSerializer,
    ServiceListSerializer,
    ServiceOwnerDecisionSerializer,
    ServiceReopenSerializer,
    ServiceReportCreateSerializer,
    ServiceSerializer,
    ServiceVisitCreateSerializer,
)
from .services import evaluation, execution, plan, proposal, workflow

REFUSED = OpenApiResponse(description=_("The service refused it (a business rule): nothing changed."))


# --- Services ------------------------------------------------------------------------------------


def _write(serializer_class, policy_action, *, url_path):
    """A POST on one service, allowed by the policy's ``policy_action``, its body validated by ``serializer_class``."""
    options = {"serializer_class": serializer_class} if serializer_class else {}
    return action(
        detail=True, methods=["post"], url_path=url_path, url_name=url_path, policy_action=policy_action, **options
    )


def _schema(request, code=status.HTTP_200_OK):
    return extend_schema(
        request=request,
        responses={code: ServiceSerializer, 400: REFUSED, 403: OpenApiResponse(description=_("Not your role."))},
    )


class ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Technical-assistance services (SAT): the list, the whole file of one, and every step of its workflow.

    A consultant sees only the services assigned to them; other staff, their centres' services.
    """

    queryset = Service.objects.none()
    serializer_class = ServiceSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None  # each extra action names its own
    policy_actions = {"list": "service_view", "retrieve": "service_view", "create": "service_open"}
    filterset_class = ServiceFilter

    def get_queryset(self):
        services = selectors.service_list(user=self.request.user)
        if self.action == "list":
            services = services.prefetch_related("consultants")
        return services

    def get_serializer_class(self):
        if self.action == "list":
            return ServiceListSerializer
        return super().get_serializer_class()

    def _answer(self, service: Service, code=status.HTTP_200_OK) -> Response:
        """The whole service as it is now (read again through the scoped selector)."""
        service = selectors.service_detail(user=self.request.user, pk=service.pk)
        return Response(ServiceSerializer(service, context=self.get_serializer_context()).data, status=code)

    def _validated(self, request) -> dict:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_object(self):
        """The service through the scoped selector (404 when not visible), then the policy's object rule (403)."""
        service = selectors.service_detail(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, service)
        return service

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=ServiceCreateSerializer,
        responses={201: ServiceSerializer, 400: REFUSED, 403: OpenApiResponse(description=_("Not your role."))},
    )
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        """Open a service for a company of your centres, in the promotion stage (promoter, coordinator)."""
        serializer = ServiceCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        service = workflow.service_open(user=request.user, **serializer.validated_data)
        return self._answer(service, status.HTTP_201_CREATED)

    # --- Stages ----------------------------------------------------------------------------------

    @_schema(ServiceAdvanceSerializer)
    @_write(ServiceAdvanceSerializer, "service_advance", url_path="advance")
    def advance(self, request, pk=None):
        """Move the service to the next stage, when its preconditions hold and your role may."""
        service = self.get_object()
        data = self._validated(request)
        return self._answer(workflow.service_advance(user=request.user, service=service, to_stage=data["to_stage"]))

    @_schema(ServiceCancelSerializer)
    @_write(ServiceCancelSerializer, "service_cancel", url_path="cancel")
    def cancel(self, request, pk=None):
        """Cancel an open service, saying why (coordinator)."""
        service = self.get_object()
        data = self._validated(request)
        return self._answer(workflow.service_cancel(user=request.user, service=service, reason=data["reason"]))

    @_schema(ServiceReopenSerializer)
    @_write(ServiceReopenSerializer, "service_reopen", url_path="reopen")
    def reopen(self, request, pk=None):
        """Go back to an earlier stage, saying why (coordinator); the reopening is logged."""
        service = self.get_object()
        data = self._validated(request)
        return self._answer(workflow.service_reopen(user=request.user, service=service, **data))

    # --- Promotion and diagnosis -----------------------------------------------------------------

    @_schema(ServiceDiagnosisLinkSerializer)
    @_write(ServiceDiagnosisLinkSerializer, "service_link_diagnosis", url_path="diagnosis")
    def link_diagnosis(self, request, pk=None):
        """Tie the service to the company's diagnosis and the problems of its tree it addresses."""
        service = self.get_object()
        data = self._validated(request)
        return self._answer(
            workflow.service_link_diagnosis(
                user=request.user, service=service, diagnosis=data["diagnosis"], nodes=list(data["nodes"])
            )
        )

    @_schema(ServiceConsultantAssignSerializer)
    @_write(ServiceConsultantAssignSerializer, "service_assign_consultant", url_path="consultants")
    def assign_consultant(self, request, pk=None):
        """Assign a validated consultant who serves the service's centre (coordinator)."""
        service = self.get_object()
        data = self._validated(request)
        return self._answer(
            workflow.service_assign_consultant(user=request.user, service=service, consultant=data["consultant"])
        )

    # --- Proposal --------------------------------------------------------------------------------

    @_schema(ServiceImprovementCreateSerializer, status.HTTP_201_CREATED)
    @_write(ServiceImprovementCreateSerializer, "proposal_edit", url_path="improvements")
    def add_improvement(self, request, pk=None):
        """Add a line to the improvement plan (proposal stage)."""
        service = self.get_object()
        data = self._validated(request)
        proposal.improvement_add(
            user=request.user,
            service=service,
            node=data.get("problem_node"),
            problem=data["problem"],
            improvement=data["improvement"],
            expected_result=data["expected_result"],
        )
        return self._answer(service, status.HTTP_201_CREATED)

    @_schema(ServiceBudgetLineCreateSerializer, status.HTTP_201_CREATED)
    @_write(ServiceBudgetLineCreateSerializer, "proposal_edit", url_path="budget-lines")
    def add_budget_line(self, request, pk=None):
        """Add a cost to the budget (proposal stage); the totals follow."""
        service = self.get_object()
        proposal.budget_line_add(user=request.user, service=service, **self._validated(request))
        return self._answer(service, status.HTTP_201_CREATED)

    @_schema(ServiceFundingLineCreateSerializer, status.HTTP_201_CREATED)
    @_write(ServiceFundingLineCreateSerializer, "proposal_edit", url_path="funding-lines")
    def add_funding_line(self, request, pk=None):
        """Add a subsidy, voucher or co-financing; it may not exceed what is left to pay."""
        service = self.get_object()
        proposal.funding_line_add(user=request.user, service=service, **self._validated(request))
        return self._answer(service, status.HTTP_201_CREATED)

    @_schema(ServiceOwnerDecisionSerializer)
    @_write(ServiceOwnerDecisionSerializer, "owner_decision_record", url_path="owner-decision")
    def owner_decision(self, request, pk=None):
        """Record whether the owner accepted the proposal, and on what date."""
        service = self.get_object()
        data = self._validated(request)
        return self._answer(
            proposal.proposal_record_owner_decision(
                user=request.user, service=service, accepted=data["accepted"], on=data.get("on")
            )
        )

    @_schema(None)
    @_write(None, "price_approve", url_path="approve-price")
    def approve_price(self, request, pk=None):
        """Approve the price of the proposal (coordinator)."""
        service = self.get_object()
        return self._answer(proposal.proposal_approve_price(user=request.user, service=service))

    # --- Action plan -----------------------------------------------------------------------------

    @_schema(ServiceActivityCreateSerializer, status.HTTP_201_CREATED)
    @_write(ServiceActivityCreateSerializer, "plan_edit", url_path="activities")
    def add_activity(self, request, pk=None):
        """Add an activity to the action plan (action-plan stage)."""
        service = self.get_object()
        plan.activity_add(user=request.user, service=service, **self._validated(request))
        return self._answer(service, status.HTTP_201_CREATED)

    @_schema(ServiceIndicatorCreateSerializer, status.HTTP_201_CREATED)
    @_write(ServiceIndicatorCreateSerializer, "plan_edit", url_path="indicators")
    def add_indicator(self, request, pk=None):
        """Add an indicator with its baseline and target (action-plan stage)."""
        service = self.get_object()
        plan.indicator_add(user=request.user, service=service, **self._validated(request))
        return self._answer(service, status.HTTP_201_CREATED)

    # --- Execution and evaluation ----------------------------------------------------------------

    @_schema(ServiceVisitCreateSerializer, status.HTTP_201_CREATED)
    @_write(ServiceVisitCreateSerializer, "execution_record", url_path="visits")
    def add_visit(self, request, pk=None):
        """Log a visit of an assigned consultant (execution stage)."""
        service = self.get_object()
        execution.visit_log(user=request.user, service=service, **self._validated(request))
        return self._answer(service, status.HTTP_201_CREATED)

    @_schema(ServiceReportCreateSerializer, status.HTTP_201_CREATED)
    @_write(ServiceReportCreateSerializer, "execution_record", url_path="report")
    def submit_report(self, request, pk=None):
        """Submit the technical report: it closes execution and the service moves on to evaluation."""
        service = self.get_object()
        execution.report_submit(user=request.user, service=service, **self._validated(request))
        return self._answer(service, status.HTTP_201_CREATED)

    @_schema(ServiceEvaluationCreateSerializer, status.HTTP_201_CREATED)
    @_write(ServiceEvaluationCreateSerializer, "evaluation_record", url_path="evaluation")
    def record_evaluation(self, request, pk=None):
        """Record the follow-up visit: every indicator measured, satisfaction on the centre's scale; closes it."""
        service = self.get_object()
        evaluation.evaluation_record(user=request.user, service=service, **self._validated(request))
        return self._answer(service, status.HTTP_201_CREATED)
