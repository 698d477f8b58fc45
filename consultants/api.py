"""REST API of the consultant directory (``/api/v1/consultants/``).

Thin views, as in the pages: the directory's policy decides who may do what
(``PolicyPermission`` with ``policy_actions``), a serializer checks the request's
shape, one service does the write (and asks the policy again), and every entry comes
from the scoped selectors, so a consultant serving only another centre is a 404.
"""

from rest_framework import mixins, viewsets

from core.idempotency import api_once_per_key
from core.policy import PolicyPermission

from . import selectors, services
from .filters import ConsultantFilter
from .models import Consultant
from .permissions import policy
from .serializers import ConsultantSerializer


class ConsultantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The consultant directory, with services done, average score and last service of each.

    Read by coordinators and national roles; kept by administrators. A new entry starts
    as proposed: validation, with its documents, is a step of its own.
    """

    queryset = Consultant.objects.none()  # names the model for the schema; get_queryset scopes it
    serializer_class = ConsultantSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {
        "list": "consultant_view",
        "retrieve": "consultant_view",
        "create": "consultant_edit",
        "update": "consultant_edit",
        "partial_update": "consultant_edit",
    }
    filterset_class = ConsultantFilter  # the page's own: one filter set per list

    def get_queryset(self):
        return selectors.consultant_list(user=self.request.user)

    def _fresh(self, consultant: Consultant) -> Consultant:
        """The entry again, with its annotations as they are after the write."""
        return selectors.consultant_detail(user=self.request.user, pk=consultant.pk)

    @api_once_per_key
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        consultant = services.consultant_save(user=self.request.user, **serializer.service_arguments())
        serializer.instance = self._fresh(consultant)

    def perform_update(self, serializer):
        consultant = services.consultant_save(
            user=self.request.user, consultant=serializer.instance, **serializer.service_arguments()
        )
        serializer.instance = self._fresh(consultant)
