"""Shapes of the funds API: what a request may carry and what an answer holds (amounts as strings)."""

from rest_framework import serializers

from clients.models import Company, Entrepreneur, Ubigeo
from core.models import Centre, User

from .models import (
    AEO,
    AEOMember,
    BusinessPlan,
    Category,
    Contest,
    EvaluationCriterion,
    InvestmentLine,
    ProductiveChain,
    Purchase,
    PurchaseStep,
    Voucher,
    VoucherProgramme,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class VoucherSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(read_only=True)

    class Meta:
        model = Voucher
        fields = ["id", "code", "programme", "centre", "holder_company", "holder_entrepreneur", "holder", "amount",
                  "valid_from", "valid_until", "status", "redeemed_at", "redeemed_amount", "redeemed_for"]  # fmt: skip
        read_only_fields = ["id", "centre", "holder", "status", "redeemed_at", "redeemed_amount", "redeemed_for"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = VoucherProgramme.objects.all()
        self.fields["holder_company"].queryset = Company.objects.all()
        self.fields["holder_entrepreneur"].queryset = Entrepreneur.objects.all()


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = AEOMember
        fields = ["id", "dni", "full_name", "board_role", "entrepreneur"]
        extra_kwargs = {"dni": {"required": False}, "full_name": {"required": False}}


class AEOSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)
    centre = serializers.PrimaryKeyRelatedField(queryset=Centre.objects.all())
    district = serializers.SlugRelatedField(slug_field="code", queryset=Ubigeo.objects.all())
    province = serializers.CharField(source="district.province", read_only=True)

    class Meta:
        model = AEO
        fields = ["id", "centre", "kind", "name", "ruc", "company", "founded_on", "annual_sales", "district",
                  "province", "minutes_certified_by", "members"]  # fmt: skip


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        exclude = ["contest"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        fields = ["id", "name", "weight", "order"]


class ContestSerializer(serializers.ModelSerializer):
    categories = CategorySerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    centre = serializers.PrimaryKeyRelatedField(queryset=Centre.objects.all())
    chains = serializers.PrimaryKeyRelatedField(queryset=ProductiveChain.objects.all(), many=True, required=False)
    committee = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    uit_value = serializers.DecimalField(required=False, allow_null=True, **MONEY)

    class Meta:
        model = Contest
        fields = ["id", "centre", "name", "owner", "year", "budget", "uit_value", "chains", "zones", "call_on",
                  "submissions_until", "evaluation_until", "results_on", "execution_limit_days", "committee",
                  "status", "resolution_number", "categories", "criteria"]  # fmt: skip
        read_only_fields = ["id", "status", "resolution_number", "categories", "criteria"]


class WinnersSerializer(serializers.Serializer):
    resolution_number = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class ResultRowSerializer(serializers.Serializer):
    chain_name = serializers.CharField()
    province = serializers.CharField()
    plans = serializers.IntegerField()
    public = serializers.DecimalField(**MONEY)
    counterpart = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    direct_jobs = serializers.IntegerField()
    indirect_jobs = serializers.IntegerField()


class ResultsSerializer(serializers.Serializer):
    rows = ResultRowSerializer(many=True)
    totals = serializers.DictField()


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvestmentLine
        fields = ["id", "kind", "description", "specification", "quantity", "unit_price", "amount", "source"]
        read_only_fields = ["id", "amount"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = PurchaseStep
        fields = ["id", "kind", "date", "days", "note", "round"]
        read_only_fields = ["id", "round"]


class PurchaseSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Purchase
        fields = ["id", "description", "amount", "requirement_on", "planned_days", "situation_on", "stage",
                  "delivered_on", "steps"]  # fmt: skip
        read_only_fields = ["id", "stage", "delivered_on", "steps"]
        extra_kwargs = {"planned_days": {"required": False}}


class PurchaseStepSerializer(StepSerializer):
    purchase = serializers.PrimaryKeyRelatedField(queryset=Purchase.objects.all())

    class Meta(StepSerializer.Meta):
        fields = ["purchase", *StepSerializer.Meta.fields]


class PlanSerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)
    purchases = PurchaseSerializer(many=True, read_only=True)
    problems = serializers.ListField(child=serializers.CharField(), read_only=True, source="problem_list")

    class Meta:
        model = BusinessPlan
        fields = ["id", "contest", "aeo", "chain", "category", "title", "execution_days", "direct_jobs",
                  "indirect_jobs", "total_investment", "public_amount", "counterpart_money", "counterpart_in_kind",
                  "status", "submitted_at", "is_eligible", "problems", "weighted_score", "rank", "lines",
                  "purchases"]  # fmt: skip
        read_only_fields = ["id", "total_investment", "public_amount", "counterpart_money", "counterpart_in_kind",
                            "status", "submitted_at", "is_eligible", "problems", "weighted_score", "rank", "lines",
                            "purchases"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in (("contest", Contest), ("aeo", AEO), ("chain", ProductiveChain), ("category", Category)):
            self.fields[name].queryset = model.objects.all()


class PlanScoreItemSerializer(serializers.Serializer):
    criterion = serializers.PrimaryKeyRelatedField(queryset=EvaluationCriterion.objects.all())
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class PlanScoresSerializer(serializers.Serializer):
    scores = PlanScoreItemSerializer(many=True)
