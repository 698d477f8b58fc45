"""Shapes of the credit API: what a request may carry and what an answer holds (amounts as strings)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clients.models import Entrepreneur

from . import selectors
from .models import LedgerEntry, Loan, LoanMethod, LoanProduct, Operator, Purpose, Repayment


class OperatorSerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name", read_only=True)

    class Meta:
        model = Operator
        fields = ["id", "name", "centre", "centre_name", "other_centres", "started_on", "margin_rate", "is_active"]
        read_only_fields = fields


class InstalmentSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    principal_due = serializers.DecimalField(max_digits=14, decimal_places=2)
    interest_due = serializers.DecimalField(max_digits=14, decimal_places=2)
    fee_due = serializers.DecimalField(max_digits=14, decimal_places=2)
    principal_paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    interest_paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    fee_paid = serializers.DecimalField(max_digits=14, decimal_places=2)


class LoanSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    borrower = serializers.CharField(source="entrepreneur.full_name", read_only=True)
    days_late = serializers.SerializerMethodField()
    outstanding_principal = serializers.SerializerMethodField()

    class Meta:
        model = Loan
        fields = ["id", "code", "status", "centre", "operator", "product", "entrepreneur", "borrower", "company",
                  "amount", "term_months", "grace_months", "monthly_rate", "fee_rate", "fee_mode", "method", "purpose",
                  "guarantee", "applied_on", "decided_on", "disbursed_on", "fee_amount", "written_off_on",
                  "days_late", "outstanding_principal"]  # fmt: skip
        read_only_fields = fields

    def get_days_late(self, loan) -> int:
        return selectors.days_late(loan)

    def get_outstanding_principal(self, loan) -> str:
        return f"{selectors.outstanding_principal(loan):.2f}"


class LoanDetailSerializer(LoanSerializer):
    instalments = InstalmentSerializer(many=True, read_only=True)

    class Meta(LoanSerializer.Meta):
        fields = [*LoanSerializer.Meta.fields, "instalments"]
        read_only_fields = fields


class LoanApplySerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=LoanProduct.objects.all())
    entrepreneur = serializers.PrimaryKeyRelatedField(queryset=Entrepreneur.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    term_months = serializers.IntegerField(min_value=1, max_value=240)
    grace_months = serializers.IntegerField(min_value=0, default=0)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    guarantee = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    applied_on = serializers.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # only what the user may see: another centre's person is "does not exist"
            from clients.selectors import entrepreneur_list

            self.fields["product"].queryset = selectors.product_list(user=request.user)
            self.fields["entrepreneur"].queryset = entrepreneur_list(user=request.user)


class LoanDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    evaluation = serializers.CharField()
    on = serializers.DateField(required=False)


class LoanDisburseSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)


class LoanWriteOffSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class RepaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Repayment
        fields = ["id", "loan", "date", "amount", "idempotency_key", "posted_by", "created_at"]
        read_only_fields = ["id", "posted_by", "created_at"]
        # The service answers a repeated key with the first posting; the database's constraint backs it.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["loan"].queryset = selectors.loan_list(user=request.user)


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["id", "operator", "date", "kind", "amount", "loan", "repayment", "tranche", "reverses", "note",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class EntryReverseSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class SimulateQuerySerializer(serializers.Serializer):
    principal = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=1)
    monthly_rate = serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0, max_value=100)
    months = serializers.IntegerField(min_value=1, max_value=240)
    method = serializers.ChoiceField(choices=LoanMethod.values, default=LoanMethod.DECLINING)
    fee_rate = serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0, max_value=99, default=0)
    grace_months = serializers.IntegerField(min_value=0, default=0)

    def validate(self, data):
        if data["grace_months"] >= data["months"]:
            raise serializers.ValidationError({"grace_months": _("The grace period must be shorter than the term.")})
        return data


class SimulationLineSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    payment = serializers.CharField()
    interest = serializers.CharField()
    principal = serializers.CharField()
    balance = serializers.CharField()


class SimulationSerializer(serializers.Serializer):
    principal = serializers.CharField()
    fee = serializers.CharField()
    installments = SimulationLineSerializer(many=True)
    total_interest = serializers.CharField()
    total_payment = serializers.CharField()
