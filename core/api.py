"""API pieces every app shares: the DomainError handler, and core's own endpoints."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .access import CentreScopedQuerysetMixin
from .exceptions import DomainError
from .models import Centre, Notification, ReportJob
from .permissions import policy
from .policy import PolicyPermission
from .reminders import notification_mark_read, notifications_of
from .reports import report_request, reports_of
from .serializers import (
    CentreSerializer,
    MeSerializer,
    NotificationSerializer,
    ReportJobSerializer,
    ReportRequestSerializer,
)


def exception_handler(exc, context):
    """A DomainError from a service is the client's fault: 400 with its message."""
    if isinstance(exc, DomainError):
        body = {exc.field: [str(exc)]} if exc.field else {"detail": str(exc)}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class CentreViewSet(CentreScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Centres the requesting user works with (all of them for national roles)."""

    queryset = Centre.objects.all()
    serializer_class = CentreSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "centre_view", "retrieve": "centre_view"}
    centre_field = "pk"


class MeView(generics.RetrieveAPIView):
    """The signed-in user, with roles and centres."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Printable documents for other systems: ask for one (202), follow it, download it when done.

    Only the caller's own jobs are listed or found (another user's job id is a 404); the
    record behind a request is checked by its kind, as on the pages.
    """

    serializer_class = ReportJobSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "report_list", "retrieve": "report_list", "create": "report_request"}
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, no user
            return ReportJob.objects.none()
        return reports_of(self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportJobSerializer})
    def create(self, request):
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = report_request(user=request.user, **data.validated_data)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's reminders (the bell), unread first; mark one or all read."""

    serializer_class = NotificationSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "notification_view"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notifications_of(self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], policy_action="notification_view")
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_mark_read(user=request.user, pk=notification.pk)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("ReadAll", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all", policy_action="notification_view")
    def read_all(self, request):
        return Response({"marked": notification_mark_read(user=request.user)})
