"""Columns of the funds exports (CSV / Excel)."""

from django.utils.translation import gettext as _


def voucher_headers():
    return [_("Code"), _("Programme"), _("Holder"), _("Amount (S/)"), _("Valid from"), _("Valid until"), _("Status"),
            _("Redeemed for")]  # fmt: skip


def voucher_rows(vouchers):
    for v in vouchers:
        yield [v.code, v.programme.name, str(v.holder), v.amount, v.valid_from, v.valid_until, v.get_status_display(),
               v.redeemed_for]  # fmt: skip


def result_headers():
    return [_("Productive chain"), _("Province"), _("Plans"), _("Public co-financing (S/)"), _("Counterpart (S/)"),
            _("Total investment (S/)"), _("Direct jobs"), _("Indirect jobs")]  # fmt: skip


def result_rows(rows, totals):
    for r in rows:
        yield [r["chain_name"], r["province"], r["plans"], r["public"], r["counterpart"], r["total"], r["direct_jobs"],
               r["indirect_jobs"]]  # fmt: skip
    yield [_("Total"), "", totals["plans"], totals["public"], totals["counterpart"], totals["total"],
           totals["direct_jobs"], totals["indirect_jobs"]]  # fmt: skip
