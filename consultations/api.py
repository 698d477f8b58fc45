"""REST API of the desk: ``/api/v1/consultations/``, ``/api/v1/suppliers/``, ``/api/v1/fact-sheets/``.

The same policy as the pages (``PolicyPermission``), the same filter sets, the same
services for writes, the same scoped selectors for reads.
"""

from rest_framework import mixins, viewsets

from core.idempotency import api_once_per_key
from core.policy import PolicyPermission

from . import selectors, services
from .filters import ConsultationFilter, FactSheetFilter, SupplierFilter
from .models import Consultation, FactSheet, Supplier
from .permissions import policy
from .serializers import ConsultationSerializer, FactSheetSerializer, SupplierSerializer


class ConsultationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Technical consultations of the user's centres; logging one times it and records its referral."""

    queryset = Consultation.objects.none()
    serializer_class = ConsultationSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "consultation_view", "retrieve": "consultation_view", "create": "consultation_create"}
    filterset_class = ConsultationFilter

    def get_queryset(self):
        return selectors.consultation_list(user=self.request.user).prefetch_related("suppliers", "fact_sheets")

    @api_once_per_key
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        consultation = services.consultation_create(user=self.request.user, **serializer.service_arguments())
        serializer.instance = selectors.consultation_detail(user=self.request.user, pk=consultation.pk)


class SupplierViewSet(viewsets.ReadOnlyModelViewSet):
    """The desk's supplier directory (with the packaging institute's list)."""

    queryset = Supplier.objects.none()
    serializer_class = SupplierSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "library_view", "retrieve": "library_view"}
    filterset_class = SupplierFilter

    def get_queryset(self):
        return selectors.supplier_list(user=self.request.user)


class FactSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """Fact sheets on the legal requirements for food products."""

    queryset = FactSheet.objects.none()
    serializer_class = FactSheetSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None
    policy_actions = {"list": "library_view", "retrieve": "library_view"}
    filterset_class = FactSheetFilter

    def get_queryset(self):
        return selectors.fact_sheet_list(user=self.request.user)
