"""REST API of the credit fund: ``/api/v1/loans/``, ``/api/v1/repayments/``, ``/api/v1/operators/``,
``/api/v1/ledger/`` (read-only) and ``/api/v1/credit/simulate/``.

Writes go through the same services as the pages (a DomainError is a 400); every record
comes from the scoped selectors, so another centre's loan, or for an officer another
operator's, is a 404.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.idempotency import api_once_per_key
from core.policy import PolicyPermission

from . import selectors, services
from .filters import LoanFilter
from .models import LedgerEntry, Loan, Operator, Repayment
from .permissions import policy
from .schedule import simulate
from .serializers import (
    EntryReverseSerializer,
    LedgerEntrySerializer,
    LoanApplySerializer,
    LoanDecideSerializer,
    LoanDetailSerializer,
    LoanDisburseSerializer,
    LoanSerializer,
    LoanWriteOffSerializer,
    OperatorSerializer,
    RepaymentSerializer,
    SimulateQuerySerializer,
    SimulationSerializer,
)

REFUSED = OpenApiResponse(description=_("The service refused it (a business rule): nothing changed."))


def _write(serializer_class, policy_action, url_path):
    return action(detail=True, methods=["post"], url_path=url_path, policy_action=policy_action,
                  serializer_class=serializer_class)  # fmt: skip


def _schema(request):
    return extend_schema(request=request, responses={200: LoanDetailSerializer, 400: REFUSED})


class LoanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Loans of the rotating fund: apply, decide, pay out, write off. An officer sees their operator's only."""

    queryset = Loan.objects.none()
    serializer_class = LoanSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "loan_view", "retrieve": "loan_view", "create": "loan_apply"}
    filterset_class = LoanFilter

    def get_queryset(self):
        return selectors.loan_list(user=self.request.user)

    def get_object(self):
        loan = selectors.loan_detail(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, loan)
        return loan

    def get_serializer_class(self):
        return LoanDetailSerializer if self.action == "retrieve" else super().get_serializer_class()

    def _answer(self, loan, code=status.HTTP_200_OK):
        loan = selectors.loan_detail(user=self.request.user, pk=loan.pk)
        return Response(LoanDetailSerializer(loan, context=self.get_serializer_context()).data, status=code)

    def _data(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=LoanApplySerializer, responses={201: LoanDetailSerializer, 400: REFUSED})
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        """Record an application on a product's terms (credit officer of the product's operator)."""
        return self._answer(services.loan_apply(user=request.user, **self._data(LoanApplySerializer)), 201)

    @_schema(LoanDecideSerializer)
    @_write(LoanDecideSerializer, "loan_decide", "decide")
    def decide(self, request, pk=None):
        """Approve or reject an application, with the evaluation."""
        return self._answer(
            services.loan_decide(user=request.user, loan=self.get_object(), **self._data(LoanDecideSerializer))
        )

    @_schema(LoanDisburseSerializer)
    @_write(LoanDisburseSerializer, "loan_disburse", "disburse")
    def disburse(self, request, pk=None):
        """Pay an approved loan out; paying out again does nothing."""
        data = self._data(LoanDisburseSerializer)
        return self._answer(services.loan_disburse(user=request.user, loan=self.get_object(), on=data.get("on")))

    @_schema(LoanWriteOffSerializer)
    @_write(LoanWriteOffSerializer, "loan_write_off", "write-off")
    def write_off(self, request, pk=None):
        """Write off what is left of the principal, with the reason (coordinator, administrator)."""
        return self._answer(
            services.loan_write_off(user=request.user, loan=self.get_object(), **self._data(LoanWriteOffSerializer))
        )


class RepaymentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Repayments. Posting is idempotent: the same ``idempotency_key`` on a loan posts once."""

    queryset = Repayment.objects.none()
    serializer_class = RepaymentSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "loan_view", "create": "repayment_post"}

    def get_queryset(self):
        return Repayment.objects.filter(loan__in=selectors.loan_list(user=self.request.user)).order_by("-date", "-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.repayment_post(
            user=self.request.user, loan=data["loan"], amount=data["amount"], date=data["date"],
            idempotency_key=data["idempotency_key"],
        )  # fmt: skip


class OperatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The operators that run the fund, with their centre."""

    queryset = Operator.objects.none()
    serializer_class = OperatorSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "fund_view", "retrieve": "fund_view"}

    def get_queryset(self):
        return selectors.operator_list(user=self.request.user)


class LedgerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The fund's ledger, read-only: entries are never changed; corrections are reversing entries."""

    queryset = LedgerEntry.objects.none()
    serializer_class = LedgerEntrySerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "fund_view", "retrieve": "fund_view"}
    filterset_fields = ["operator", "kind", "loan"]

    def get_queryset(self):
        return selectors.ledger_list(user=self.request.user)

    @extend_schema(request=EntryReverseSerializer, responses={201: LedgerEntrySerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="entry_reverse", serializer_class=EntryReverseSerializer)
    def reverse(self, request, pk=None):
        """Correct a mistaken entry of the fund keeper by a reversing entry pointing to it."""
        entry = self.get_object()
        form = EntryReverseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        reversal = services.entry_reverse(user=request.user, entry=entry, **form.validated_data)
        return Response(LedgerEntrySerializer(reversal).data, status=status.HTTP_201_CREATED)


class SimulateView(APIView):
    """What a loan would cost: the schedule for an amount, a monthly rate, a term and a method."""

    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = "simulate"

    @extend_schema(parameters=[SimulateQuerySerializer], responses={200: SimulationSerializer, 400: REFUSED})
    def get(self, request):
        query = SimulateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(simulate(**query.validated_data))
