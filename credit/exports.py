from django.utils.translation import gettext as _

from . import selectors


def loan_headers():
    return [_("Code"), _("Borrower"), _("Company"), _("Operator"), _("Status"), _("Amount"), _("Term (months)"),
            _("Disbursed on"), _("Outstanding principal"), _("Days late")]  # fmt: skip


def loan_rows(loans):
    for loan in loans.iterator(chunk_size=500):
        yield [loan.code, str(loan.entrepreneur), str(loan.company or ""), str(loan.operator),
               str(loan.get_status_display()), loan.amount, loan.term_months, loan.disbursed_on,
               selectors.outstanding_principal(loan), selectors.days_late(loan)]  # fmt: skip
