"""REST API of the client registry: companies, entrepreneurs, diagnoses and the needs found.

Thin views, as in the pages: the app's policy (``permissions.py``) answers who may,
through ``PolicyPermission``, the same filter sets as the pages filter the lists
(``filters.py``), a serializer checks the request's shape, one service does the write (its DomainError becomes a 400 in
``core.api.exception_handler``), and every queryset comes scoped from the selectors,
so another centre's record is a 404.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.idempotency import api_once_per_key
from core.policy import PolicyPermission

from . import selectors, services
from .filters import CompanyFilter, DiagnosisFilter, EntrepreneurFilter, NeedFilter
from .models import Company, Diagnosis, Entrepreneur, Need
from .permissions import policy
from .serializers import (
    CompanyCreateSerializer,
    CompanySerializer,
    DiagnosisSerializer,
    EntrepreneurCreateSerializer,
    EntrepreneurSerializer,
    NeedSerializer,
    ProblemNodeCreateSerializer,
    ProblemNodeSerializer,
)


class ReadCreateUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Registry records are never deleted through the API (services, loans and history hang from them)."""

    permission_classes = [PolicyPermission]
    policy = policy
    policy_action = None  # an extra action may name its own


# --- Companies and people -------------------------------------------------------------------


class CompanyViewSet(ReadCreateUpdateViewSet):
    """Companies (MyPE) of the user's centres. Registering one checks the RUC and warns of similar
    names in the district: send ``confirm_similar: true`` to register it anyway."""

    queryset = Company.objects.none()  # names the model for the schema; get_queryset scopes it
    policy_actions = {
        "list": "company_view",
        "retrieve": "company_view",
        "create": "company_create",
        "update": "company_update",
        "partial_update": "company_update",
    }
    filterset_class = CompanyFilter

    def get_queryset(self):
        return selectors.company_list(user=self.request.user)

    def get_serializer_class(self):
        return CompanyCreateSerializer if self.action == "create" else CompanySerializer

    @api_once_per_key
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.company_create(
            user=self.request.user,
            centre=serializer.validated_data["centre"],
            fields=serializer.service_fields(),
            confirm_similar=serializer.validated_data["confirm_similar"],
        )

    def perform_update(self, serializer):
        serializer.instance = services.company_update(
            user=self.request.user, company=serializer.instance, fields=serializer.service_fields()
        )


class EntrepreneurViewSet(ReadCreateUpdateViewSet):
    """Entrepreneurs: owners and family of a company, or emprendedores without one (protoempresa)."""

    queryset = Entrepreneur.objects.none()
    policy_actions = {
        "list": "entrepreneur_view",
        "retrieve": "entrepreneur_view",
        "create": "entrepreneur_create",
        "update": "entrepreneur_update",
        "partial_update": "entrepreneur_update",
    }
    filterset_class = EntrepreneurFilter

    def get_queryset(self):
        return selectors.entrepreneur_list(user=self.request.user)

    def get_serializer_class(self):
        return EntrepreneurCreateSerializer if self.action == "create" else EntrepreneurSerializer

    @api_once_per_key
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.entrepreneur_create(
            user=self.request.user, centre=serializer.validated_data["centre"], fields=serializer.service_fields()
        )

    def perform_update(self, serializer):
        serializer.instance = services.entrepreneur_update(
            user=self.request.user, person=serializer.instance, fields=serializer.service_fields()
        )

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(
                response={"type": "object", "additionalProperties": True},
                description=_("Everything the centres hold about the person (Ley 29733)."),
            )
        },
    )
    @action(detail=True, methods=["get"], url_path="personal-data", policy_action="entrepreneur_data_export")
    def personal_data(self, request, pk=None):
        """The person's data as JSON: the registry's fields, consent, company, needs, history and each app's records."""
        return Response(services.entrepreneur_export_data(user=request.user, person=self.get_object()))

    @extend_schema(
        request=None,
        responses={
            200: EntrepreneurSerializer,
            400: OpenApiResponse(description=_("The person was already anonymised.")),
        },
    )
    @action(detail=True, methods=["post"], policy_action="entrepreneur_anonymise")
    def anonymise(self, request, pk=None):
        """Remove the person's identifying data on their request (irreversible); statistics keep the record."""
        person = services.entrepreneur_anonymise(user=request.user, person=self.get_object())
        return Response(EntrepreneurSerializer(person, context=self.get_serializer_context()).data)


# --- Diagnoses ------------------------------------------------------------------------------


class DiagnosisViewSet(ReadCreateUpdateViewSet):
    """Business diagnoses with their needs and problem tree. A completed diagnosis is read-only
    (except for an administrator)."""

    queryset = Diagnosis.objects.none()
    serializer_class = DiagnosisSerializer
    policy_actions = {
        "list": "diagnosis_view",
        "retrieve": "diagnosis_view",
        "create": "diagnosis_create",
        "update": "diagnosis_update",
        "partial_update": "diagnosis_update",
    }
    filterset_class = DiagnosisFilter

    def get_queryset(self):
        return selectors.diagnosis_list(user=self.request.user)

    def _fresh(self, diagnosis: Diagnosis) -> Diagnosis:
        """The diagnosis again, with its tree and needs as they are after a write."""
        return self.get_queryset().get(pk=diagnosis.pk)

    @api_once_per_key
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        arguments = serializer.service_arguments()
        diagnosis = services.diagnosis_create(user=self.request.user, **arguments)
        serializer.instance = self._fresh(diagnosis)

    def perform_update(self, serializer):
        arguments = serializer.service_arguments()
        del arguments["company"]  # the company of a diagnosis does not change
        diagnosis = services.diagnosis_update(user=self.request.user, diagnosis=serializer.instance, **arguments)
        serializer.instance = self._fresh(diagnosis)

    @extend_schema(
        request=None,
        responses={
            200: DiagnosisSerializer,
            400: OpenApiResponse(description=_("The diagnosis cannot be completed yet.")),
        },
    )
    @action(detail=True, methods=["post"], policy_action="diagnosis_complete")
    def complete(self, request, pk=None):
        """Close the interview: the baseline must be filled and the tree have a central problem, causes and effects."""
        diagnosis = self.get_object()
        diagnosis = services.diagnosis_complete(user=request.user, diagnosis=diagnosis)
        return Response(self.get_serializer(self._fresh(diagnosis)).data)

    @extend_schema(request=ProblemNodeCreateSerializer, responses={201: ProblemNodeSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="nodes",
        url_name="nodes",
        serializer_class=ProblemNodeCreateSerializer,
        policy_action="problem_tree_edit",
    )
    def add_node(self, request, pk=None):
        """Add the central problem, or a cause or effect (under the central problem unless a parent is given)."""
        diagnosis = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        node = services.problem_node_add(user=request.user, diagnosis=diagnosis, **serializer.validated_data)
        return Response(ProblemNodeSerializer(node).data, status=status.HTTP_201_CREATED)


# --- Needs ----------------------------------------------------------------------------------


class NeedViewSet(viewsets.ReadOnlyModelViewSet):
    """Needs found (demand): the services that answer them mark them answered."""

    queryset = Need.objects.none()
    serializer_class = NeedSerializer
    permission_classes = [PolicyPermission]
    policy = policy
    policy_actions = {"list": "need_view", "retrieve": "need_view"}
    filterset_class = NeedFilter

    def get_queryset(self):
        return selectors.need_list(user=self.request.user)
