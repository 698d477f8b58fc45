"""Serializers of the client registry API.

They check the shape and types of a request (a number is a number, workers are not
negative); every business rule stays in ``services``, which the views call with the
validated data. Related records offered for choice are scoped to the requesting user,
so another centre's company or centre is refused as if it did not exist.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.access import active_centres, scope_to_user
from core.models import Centre

from . import selectors
from .models import Company, Diagnosis, Entrepreneur, Need, ProblemNode
from .services import DIAGNOSIS_FIELDS

# --- Shared fields ---------------------------------------------------------------------------


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record chosen by id among those the requesting user may see.

    ``scope(user)`` gives the choices per request; ``model`` only names the model
    for the schema (an empty queryset, never used for a lookup).
    """

    def __init__(self, *, model, scope, **kwargs):
        self.scope = scope
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(request.user if request else None)


visible_centres = active_centres  # the scope of every "centre" field of the API


def visible_companies(user):
    return selectors.company_list(user=user)


def visible_nodes(user):
    return scope_to_user(ProblemNode.objects.all(), user, centre_field="diagnosis__centre")


def default_centre(user) -> Centre:
    """The user's only centre; with several, the request must name one."""
    centres = list(visible_centres(user)[:2])
    if len(centres) != 1:
        raise serializers.ValidationError({"centre": [_("Choose the centre the record belongs to.")]})
    return centres[0]


# --- Companies -------------------------------------------------------------------------------


class CompanySerializer(serializers.ModelSerializer):
    """A company as read, and as changed (the centre is fixed once registered)."""

    # Declared by hand so that the unique check is the service's (one rule, one message).
    ruc = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=20)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    subsector_name = serializers.CharField(source="subsector.name", read_only=True)
    district_name = serializers.CharField(source="district", read_only=True)
    workers_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Company
        fields = [
            "id",
            "centre",
            "centre_name",
            "legal_name",
            "trade_name",
            "ruc",
            "ruc_status",
            "is_formal",
            "legal_form",
            "subsector",
            "subsector_name",
            "product_lines",
            "address",
            "district",
            "district_name",
            "start_year",
            "permanent_men",
            "permanent_women",
            "temporary_men",
            "temporary_women",
            "workers_total",
            "annual_sales",
            "sales_year",
            "size_class",
            "sanitary_registration_number",
            "sanitary_registration_date",
            "brand_registration_number",
            "brand_registration_date",
            "phone",
            "email",
            "consent_to_contact",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["centre", "size_class", "created_by", "created_at", "updated_at"]
        extra_kwargs = {
            "permanent_men": {"min_value": 0},
            "permanent_women": {"min_value": 0},
            "temporary_men": {"min_value": 0},
            "temporary_women": {"min_value": 0},
            "annual_sales": {"min_value": 0},
        }

    def service_fields(self) -> dict:
        """The validated data as the service's ``fields``; None for an empty RUC."""
        fields = dict(self.validated_data)
        for extra in ("centre", "confirm_similar"):
            fields.pop(extra, None)
        if "ruc" in fields:
            fields["ruc"] = fields["ruc"] or None
        return fields


class CompanyCreateSerializer(CompanySerializer):
    """Registering a company: the centre (when the user works for several) and the similar-name confirmation."""

    centre = ScopedPrimaryKeyRelatedField(
        model=Centre,
        scope=visible_centres,
        required=False,
        help_text=_("Required when you work for more than one centre."),
    )
    confirm_similar = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text=_("Register it even though companies with a similar name exist in the district."),
    )

    class Meta(CompanySerializer.Meta):
        fields = [*CompanySerializer.Meta.fields, "confirm_similar"]
        read_only_fields = ["size_class", "created_by", "created_at", "updated_at"]

    def validate(self, attrs):
        if not attrs.get("centre"):
            attrs["centre"] = default_centre(self.context["request"].user)
        return attrs


# --- Entrepreneurs ---------------------------------------------------------------------------


class EntrepreneurSerializer(serializers.ModelSerializer):
    """A person as read, and as changed (the centre is fixed once registered)."""

    dni = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=20)
    company = ScopedPrimaryKeyRelatedField(model=Company, scope=visible_companies, required=False, allow_null=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    company_name = serializers.CharField(source="company", read_only=True, allow_null=True)
    full_name = serializers.CharField(read_only=True)
    is_protoenterprise = serializers.BooleanField(read_only=True)

    class Meta:
        model = Entrepreneur
        fields = [
            "id",
            "centre",
            "centre_name",
            "first_name",
            "last_name",
            "full_name",
            "dni",
            "gender",
            "birth_year",
            "education",
            "phone",
            "email",
            "company",
            "company_name",
            "relationship",
            "is_protoenterprise",
            "district",
            "business_idea",
            "consent_to_contact",
            "data_consent",
            "data_consent_date",
            "data_consent_recorded_by",
            "anonymised_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "centre",
            "created_by",
            "created_at",
            "updated_at",
            "data_consent_date",
            "data_consent_recorded_by",
            "anonymised_at",
        ]

    def service_fields(self) -> dict:
        fields = dict(self.validated_data)
        fields.pop("centre", None)
        if "dni" in fields:
            fields["dni"] = fields["dni"] or None
        return fields


class EntrepreneurCreateSerializer(EntrepreneurSerializer):
    centre = ScopedPrimaryKeyRelatedField(
        model=Centre,
        scope=visible_centres,
        required=False,
        help_text=_("The company's centre when a company is given; required when you work for more than one centre."),
    )

    class Meta(EntrepreneurSerializer.Meta):
        read_only_fields = [
            "created_by",
            "created_at",
            "updated_at",
            "data_consent_date",
            "data_consent_recorded_by",
            "anonymised_at",
        ]

    def validate(self, attrs):
        if not attrs.get("centre"):
            company = attrs.get("company")
            attrs["centre"] = company.centre if company else default_centre(self.context["request"].user)
        return attrs


# --- Diagnoses -------------------------------------------------------------------------------


class ProblemNodeSerializer(serializers.ModelSerializer):
    """A node of the problem tree with its branch under it."""

    children = serializers.SerializerMethodField()

    class Meta:
        model = ProblemNode
        fields = ["id", "kind", "text", "to_address", "children"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/ProblemNode"}})
    def get_children(self, node) -> list[dict]:
        # child_nodes is set by DiagnosisSerializer from nodes already loaded: no query per node.
        return ProblemNodeSerializer(getattr(node, "child_nodes", []), many=True, context=self.context).data


class ProblemNodeCreateSerializer(serializers.Serializer):
    """Adding a node: the central problem (no parent), or a cause or effect (under the central problem by default)."""

    kind = serializers.ChoiceField(choices=ProblemNode.Kind.choices)
    text = serializers.CharField(max_length=300)
    parent = ScopedPrimaryKeyRelatedField(model=ProblemNode, scope=visible_nodes, required=False, allow_null=True)


class NeedSerializer(serializers.ModelSerializer):
    """A need found; the same resource in /needs/ and in a diagnosis."""

    company_name = serializers.CharField(source="company", read_only=True, allow_null=True)
    entrepreneur_name = serializers.CharField(source="entrepreneur", read_only=True, allow_null=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "centre",
            "company",
            "company_name",
            "entrepreneur",
            "entrepreneur_name",
            "diagnosis",
            "need_type",
            "note",
            "status",
            "source",
            "answered_at",
            "answered_by",
            "created_at",
        ]
        read_only_fields = fields


class DiagnosisSerializer(serializers.ModelSerializer):
    """A diagnosis with its needs and its problem tree (the central problem, causes and effects under it).

    Writes take the baseline fields and, optionally, ``needs``: {need type: note}, which
    replaces the open needs found in this diagnosis.
    """

    company = ScopedPrimaryKeyRelatedField(model=Company, scope=visible_companies)
    company_name = serializers.CharField(source="company", read_only=True)
    promoter_name = serializers.CharField(source="promoter.get_full_name", read_only=True)
    needs = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=300),
        required=False,
        write_only=True,
        help_text=_("Needs found, as {need type: note}; they replace the open needs of this diagnosis."),
    )
    needs_found = NeedSerializer(source="needs", many=True, read_only=True)
    problem_tree = serializers.SerializerMethodField()

    class Meta:
        model = Diagnosis
        fields = [
            "id",
            "company",
            "company_name",
            "centre",
            "promoter",
            "promoter_name",
            "status",
            "completed_at",
            *DIAGNOSIS_FIELDS,
            "needs",
            "needs_found",
            "problem_tree",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["centre", "promoter", "status", "completed_at", "created_at", "updated_at"]
        extra_kwargs = {
            "date": {"required": False},
            "workers_men": {"min_value": 0},
            "workers_women": {"min_value": 0},
            "monthly_sales": {"min_value": 0},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Diagnosis):
            # The company of a diagnosis does not change.
            self.fields["company"].read_only = True

    @extend_schema_field(ProblemNodeSerializer(allow_null=True))
    def get_problem_tree(self, diagnosis) -> dict | None:
        # Built from the prefetched nodes (one query for the whole page), not per diagnosis.
        central = selectors.assemble_tree(list(diagnosis.nodes.all()))["central"]
        if central is None:
            return None
        return ProblemNodeSerializer(central, context=self.context).data

    def service_arguments(self) -> dict:
        """The validated data split as the services take it: company, fields, needs."""
        fields = dict(self.validated_data)
        return {"company": fields.pop("company", None), "needs": fields.pop("needs", None), "fields": fields}
