"""What the credit fund holds about a person (Ley 29733): registered in apps.py.

Loans stay as they are on anonymisation: the ledger is append-only and the fund's figures need them;
they point at the person's record, whose identity is gone.
"""

from clients.privacy import json_value

from .models import Loan


def personal_data(person) -> list[dict]:
    rows = Loan.objects.filter(entrepreneur=person).select_related("operator").order_by("applied_on", "pk")
    return [
        {
            "operator": str(loan.operator),
            "status": loan.get_status_display(),
            "amount": json_value(loan.amount),
            "term_months": loan.term_months,
            "purpose": loan.get_purpose_display(),
            "guarantee": loan.guarantee,
            "applied_on": json_value(loan.applied_on),
            "disbursed_on": json_value(loan.disbursed_on),
        }
        for loan in rows
    ]
