"""REST API of training: modules, courses (offerings) and enrolments.

As on the pages: the app's policy answers who may (``PolicyPermission``), a serializer
checks the body's shape, one service writes (its DomainError is a 400 and nothing
changes), and records come from the scoped selectors (another centre's is a 404).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from clients.selectors import entrepreneur_list
from core.exceptions import DomainError
from core.idempotency import api_once_per_key
from core.policy import PolicyPermission

from . import selectors, services
from .filters import ModuleFilter, OfferingFilter
from .models import FollowUp
from .permissions import policy
from .serializers import (
    AttendanceSerializer,
    EnrolmentCreateSerializer,
    EnrolmentSerializer,
    FollowUpRecordSerializer,
    ModuleCreateSerializer,
    ModuleSerializer,
    OfferingCreateSerializer,
    OfferingSerializer,
    ScoresSerializer,
    SessionCreateSerializer,
    StatusSerializer,
)

REFUSED = OpenApiResponse(description=_("A business rule refused it: nothing changed."))
FORBIDDEN = OpenApiResponse(description=_("Not your role."))


class ModuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The course catalogue (modules and their materials)."""

    serializer_class = ModuleSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "module_view", "retrieve": "module_view", "create": "module_manage"}
    filterset_class = ModuleFilter

    def get_queryset(self):
        return selectors.module_list(user=self.request.user)

    @extend_schema(request=ModuleCreateSerializer, responses={201: ModuleSerializer, 400: REFUSED, 403: FORBIDDEN})
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        """Add a module to the catalogue (coordinator, administrator)."""
        body = ModuleCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        centres = data.pop("centres", None)
        module = services.module_save(user=request.user, fields=data, centres=centres)
        return Response(ModuleSerializer(selectors.module_detail(user=request.user, pk=module.pk)).data, status=201)


def _offering_write(serializer_class, policy_action, url_path):
    return action(
        detail=True,
        methods=["post"],
        url_path=url_path,
        url_name=url_path,
        policy_action=policy_action,
        serializer_class=serializer_class,
    )


def _schema(request):
    return extend_schema(request=request, responses={200: OfferingSerializer, 400: REFUSED, 403: FORBIDDEN})


class OfferingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Courses: a module run at a centre, with sessions, seats, price, and the list's attendance and tests."""

    serializer_class = OfferingSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "offering_view", "retrieve": "offering_view", "create": "offering_manage"}
    filterset_class = OfferingFilter

    def get_queryset(self):
        return selectors.offering_list(user=self.request.user).prefetch_related("sessions")

    def get_object(self):
        offering = selectors.offering_detail(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, offering)
        return offering

    def _answer(self, offering, code=status.HTTP_200_OK):
        offering = selectors.offering_detail(user=self.request.user, pk=offering.pk)
        return Response(OfferingSerializer(offering).data, status=code)

    def _validated(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=OfferingCreateSerializer, responses={201: OfferingSerializer, 400: REFUSED, 403: FORBIDDEN})
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        """Plan a course at one of your centres (coordinator, administrator)."""
        body = OfferingCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        centre, module = data.pop("centre"), data.pop("module")
        offering = services.offering_create(user=request.user, centre=centre, module=module, fields=data)
        return self._answer(offering, status.HTTP_201_CREATED)

    @_schema(StatusSerializer)
    @_offering_write(StatusSerializer, "offering_manage", "status")
    def set_status(self, request, pk=None):
        """Open enrolment, start, finish or cancel the course (finishing decides who completed)."""
        offering = self.get_object()
        data = self._validated(request)
        return self._answer(services.offering_set_status(user=request.user, offering=offering, **data))

    @_schema(SessionCreateSerializer)
    @_offering_write(SessionCreateSerializer, "offering_manage", "sessions")
    def add_session(self, request, pk=None):
        """Add a session (date and times) to the course."""
        offering = self.get_object()
        services.session_add(user=request.user, offering=offering, **self._validated(request))
        return self._answer(offering)

    @_schema(AttendanceSerializer)
    @_offering_write(AttendanceSerializer, "attendance_record", "attendance")
    def attendance(self, request, pk=None):
        """Record the attendance of the list: one mark per participant and session (instructor, coordinator)."""
        offering = self.get_object()
        marks = [(m["enrolment"], m["session"], m["present"]) for m in self._validated(request)["marks"]]
        services.attendance_record(user=request.user, offering=offering, marks=marks)
        return self._answer(offering)

    @_schema(ScoresSerializer)
    @_offering_write(ScoresSerializer, "scores_record", "scores")
    def scores(self, request, pk=None):
        """Record the entry and exit test scores (0-20) of the list (instructor, coordinator)."""
        offering = self.get_object()
        scores = {
            s["enrolment"]: (s.get("entry_score"), s.get("exit_score")) for s in self._validated(request)["scores"]
        }
        services.scores_record(user=request.user, offering=offering, scores=scores)
        return self._answer(offering)


class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enrolments: seats and waiting lists, tests, completion, certificate code and the follow-up."""

    serializer_class = EnrolmentSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "offering_view", "retrieve": "offering_view", "create": "enrolment_create"}

    def get_queryset(self):
        return selectors.enrolment_list(user=self.request.user).select_related("followup")

    def _answer(self, enrolment, code=status.HTTP_200_OK):
        enrolment = selectors.enrolment_detail(user=self.request.user, pk=enrolment.pk)
        return Response(EnrolmentSerializer(enrolment).data, status=code)

    @extend_schema(
        request=EnrolmentCreateSerializer, responses={201: EnrolmentSerializer, 400: REFUSED, 403: FORBIDDEN}
    )
    @api_once_per_key
    def create(self, request, *args, **kwargs):
        """Enrol a person in a course: a seat, or the waiting list when it is full."""
        body = EnrolmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offering = selectors.offering_detail(user=request.user, pk=body.validated_data["offering"])
        person = get_object_or_404(entrepreneur_list(user=request.user), pk=body.validated_data["entrepreneur"].pk)
        enrolment = services.enrolment_create(
            user=request.user, offering=offering, entrepreneur=person, voucher_code=body.validated_data["voucher_code"]
        )
        return self._answer(enrolment, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: EnrolmentSerializer, 400: REFUSED, 403: FORBIDDEN})
    @action(detail=True, methods=["post"], url_path="withdraw", url_name="withdraw", policy_action="enrolment_withdraw")
    def withdraw(self, request, pk=None):
        """Take the person off the course; the first on the waiting list gets the seat."""
        enrolment = self.get_object()
        return self._answer(services.enrolment_withdraw(user=request.user, enrolment=enrolment))

    @extend_schema(request=FollowUpRecordSerializer, responses={200: EnrolmentSerializer, 400: REFUSED, 403: FORBIDDEN})
    @action(
        detail=True,
        methods=["post"],
        url_path="follow-up",
        url_name="follow-up",
        policy_action="followup_record",
        serializer_class=FollowUpRecordSerializer,
    )
    def followup(self, request, pk=None):
        """Record the post-course visit (promoter); wanting assistance records a need."""
        enrolment = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            followup = enrolment.followup
        except FollowUp.DoesNotExist:
            raise DomainError(_("This person has no follow-up: the course has not finished.")) from None
        services.followup_record(user=request.user, followup=followup, **body.validated_data)
        return self._answer(enrolment)
