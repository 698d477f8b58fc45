"""API pieces every app shares: the DomainError handler, and core's own endpoints."""

from rest_framework import generics, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .access import CentreScopedQuerysetMixin
from .exceptions import DomainError
from .models import Centre
from .permissions import policy
from .policy import PolicyPermission
from .serializers import CentreSerializer, MeSerializer


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
