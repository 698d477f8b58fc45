"""REST API of the funds app: ``/api/v1/vouchers/``, ``/api/v1/aeos/``, ``/api/v1/contests/``,
``/api/v1/business-plans/``.

Writes go through the same services as the pages (a DomainError is a 400); every record
comes from the scoped selectors, so another centre's contest is a 404.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.idempotency import api_once_per_key
from core.policy import PolicyPermission

from . import selectors, services
from .filters import AEOFilter, ContestFilter, PlanFilter, VoucherFilter
from .models import AEO, BusinessPlan, Contest, Voucher
from .permissions import policy
from .serializers import (
    AEOSerializer,
    ContestSerializer,
    LineSerializer,
    MemberSerializer,
    PlanScoresSerializer,
    PlanSerializer,
    PurchaseSerializer,
    PurchaseStepSerializer,
    ResultsSerializer,
    VoucherSerializer,
    WinnersSerializer,
)

REFUSED = OpenApiResponse(description=_("The service refused it (a business rule): nothing changed."))


def _data(view, serializer_class):
    serializer = serializer_class(data=view.request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None


class VoucherViewSet(_Base):
    """BonoPyME vouchers: list, read, issue. Redeeming is done by the service or enrolment they pay."""

    queryset = Voucher.objects.none()
    serializer_class = VoucherSerializer
    policy_actions = {"list": "voucher_view", "retrieve": "voucher_view", "create": "voucher_issue"}
    filterset_class = VoucherFilter

    def get_queryset(self):
        return selectors.voucher_list(user=self.request.user)

    @extend_schema(responses={201: VoucherSerializer, 400: REFUSED})
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        data = _data(self, VoucherSerializer)
        voucher = services.voucher_issue(user=request.user, **data)
        return Response(VoucherSerializer(voucher).data, status=status.HTTP_201_CREATED)


class AEOViewSet(_Base):
    """Organised economic agents with their members."""

    queryset = AEO.objects.none()
    serializer_class = AEOSerializer
    policy_actions = {"list": "aeo_view", "retrieve": "aeo_view", "create": "aeo_edit"}
    filterset_class = AEOFilter

    def get_queryset(self):
        return selectors.aeo_list(user=self.request.user).prefetch_related("members")

    @extend_schema(responses={201: AEOSerializer, 400: REFUSED})
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        data = _data(self, AEOSerializer)
        aeo = services.aeo_create(user=request.user, **data)
        return Response(AEOSerializer(aeo).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberSerializer, responses={201: AEOSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="aeo_edit", serializer_class=MemberSerializer)
    def members(self, request, pk=None):
        """Add a member (DNI, name, board role, or a registered person)."""
        aeo = selectors.aeo_detail(user=request.user, pk=pk)
        self.check_object_permissions(request, aeo)
        services.aeo_member_add(user=request.user, aeo=aeo, **_data(self, MemberSerializer))
        return Response(AEOSerializer(selectors.aeo_detail(user=request.user, pk=pk)).data, status=201)


class ContestViewSet(_Base):
    """Contests (convocatorias): prepare, publish, close, declare winners, read the results."""

    queryset = Contest.objects.none()
    serializer_class = ContestSerializer
    policy_actions = {"list": "contest_view", "retrieve": "contest_view", "create": "contest_manage"}
    filterset_class = ContestFilter

    def get_queryset(self):
        return selectors.contest_list(user=self.request.user).prefetch_related(
            "categories", "criteria", "chains", "committee"
        )

    def get_object(self):
        contest = selectors.contest_detail(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, contest)
        return contest

    def _answer(self, contest, code=status.HTTP_200_OK):
        return Response(ContestSerializer(selectors.contest_detail(user=self.request.user, pk=contest.pk)).data, code)

    @extend_schema(responses={201: ContestSerializer, 400: REFUSED})
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        contest = services.contest_create(user=request.user, **_data(self, ContestSerializer))
        return self._answer(contest, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ContestSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="contest_manage", url_path="open")
    def open_call(self, request, pk=None):
        """Publish the call."""
        return self._answer(services.contest_open(user=request.user, contest=self.get_object()))

    @extend_schema(request=None, responses={200: ContestSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="contest_manage")
    def close(self, request, pk=None):
        """Stop receiving plans: the evaluation starts."""
        return self._answer(services.contest_close_submissions(user=request.user, contest=self.get_object()))

    @extend_schema(request=WinnersSerializer, responses={200: ContestSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="winners_choose", serializer_class=WinnersSerializer)
    def winners(self, request, pk=None):
        """Rank the eligible plans and declare the winners within the budget."""
        data = _data(self, WinnersSerializer)
        services.winners_choose(user=request.user, contest=self.get_object(), **data)
        return self._answer(self.get_object())

    @extend_schema(responses={200: ResultsSerializer})
    @action(detail=True, methods=["get"], policy_action="results_view", serializer_class=ResultsSerializer)
    def results(self, request, pk=None):
        """The winners per productive chain and province, with the totals."""
        rows, totals = selectors.results(BusinessPlan.objects.filter(contest=self.get_object()))
        return Response({"rows": ResultsSerializer().fields["rows"].to_representation(rows), "totals": totals})


class BusinessPlanViewSet(_Base):
    """Business plans: write, add lines, submit, score (committee), follow the purchases of winners."""

    queryset = BusinessPlan.objects.none()
    serializer_class = PlanSerializer
    policy_actions = {"list": "contest_view", "retrieve": "contest_view", "create": "plan_edit"}
    filterset_class = PlanFilter

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user).prefetch_related("lines", "purchases__steps")

    def get_object(self):
        plan = selectors.plan_detail(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, plan)
        return plan

    def _answer(self, plan, code=status.HTTP_200_OK):
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data, code)

    @extend_schema(responses={201: PlanSerializer, 400: REFUSED})
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        data = dict(_data(self, PlanSerializer))
        contest = selectors.contest_detail(user=request.user, pk=data.pop("contest").pk)
        return self._answer(services.plan_create(user=request.user, contest=contest, **data), status.HTTP_201_CREATED)

    @extend_schema(request=LineSerializer, responses={201: PlanSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="plan_edit", serializer_class=LineSerializer)
    def lines(self, request, pk=None):
        """Add a good or service; the co-financing and the counterpart follow."""
        plan = self.get_object()
        services.investment_line_add(user=request.user, plan=plan, **_data(self, LineSerializer))
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PlanSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="plan_edit")
    def submit(self, request, pk=None):
        """Submit: editing closes, eligibility is recorded with each failing rule."""
        return self._answer(services.plan_submit(user=request.user, plan=self.get_object()))

    @extend_schema(request=PlanScoresSerializer, responses={200: PlanSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="plan_score", serializer_class=PlanScoresSerializer)
    def scores(self, request, pk=None):
        """A committee member's scores, 0-100 per criterion."""
        plan = self.get_object()
        for item in _data(self, PlanScoresSerializer)["scores"]:
            services.score_record(user=request.user, plan=plan, **item)
        return self._answer(plan)

    @extend_schema(request=PurchaseSerializer, responses={201: PlanSerializer, 400: REFUSED})
    @action(detail=True, methods=["post"], policy_action="purchase_record", serializer_class=PurchaseSerializer)
    def purchases(self, request, pk=None):
        """Record the requirement of a purchase of a winning plan."""
        plan = self.get_object()
        services.purchase_create(user=request.user, plan=plan, **_data(self, PurchaseSerializer))
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PurchaseStepSerializer, responses={201: PlanSerializer, 400: REFUSED})
    @action(
        detail=True, methods=["post"], policy_action="purchase_record", serializer_class=PurchaseStepSerializer,
        url_path="purchase-steps",
    )  # fmt: skip
    def purchase_steps(self, request, pk=None):
        """Record a dated step of one of the plan's purchases (call, void, award, extension, annulment, delivery)."""
        plan = self.get_object()
        data = dict(_data(self, PurchaseStepSerializer))
        purchase = get_object_or_404(plan.purchases.all(), pk=data.pop("purchase").pk)
        services.purchase_step_record(user=request.user, purchase=purchase, **data)
        return self._answer(plan, status.HTTP_201_CREATED)
