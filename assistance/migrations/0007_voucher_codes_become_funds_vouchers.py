"""Each voucher code kept by assistance's funding lines becomes a voucher of the funds app.

From now on funds keeps the vouchers and assistance redeems them through its service. A
code held by a live funding line is redeemed for that line; a code only on released
lines (its service was cancelled) is available again. The holder is the service's
company; the amount, the largest amount the code paid; the validity runs from the day
the service was opened until a year after this migration, so nothing already recorded
becomes expired by it.
"""

import datetime

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    FundingLine = apps.get_model("assistance", "FundingLine")
    Voucher = apps.get_model("funds", "Voucher")
    VoucherProgramme = apps.get_model("funds", "VoucherProgramme")
    lines = FundingLine.objects.filter(kind="voucher").exclude(voucher_code="").select_related("service")
    by_code: dict[str, list] = {}
    for line in lines.order_by("pk"):
        by_code.setdefault(line.voucher_code.strip().upper(), []).append(line)
    now = timezone.now()
    until = timezone.localdate() + datetime.timedelta(days=365)
    for code, code_lines in by_code.items():
        if Voucher.objects.filter(code=code).exists():
            continue
        first = code_lines[0]
        held = next((line for line in code_lines if line.voucher_released_at is None), None)
        programme, _created = VoucherProgramme.objects.get_or_create(
            centre_id=first.service.centre_id, name="BonoPyME", defaults={"funder": "PRODUCE"}
        )
        valid_from = min(timezone.localtime(line.service.created_at).date() for line in code_lines)
        Voucher.objects.create(
            programme=programme,
            centre_id=first.service.centre_id,
            code=code,
            holder_company_id=(held or first).service.company_id,
            amount=max(line.amount for line in code_lines),
            valid_from=valid_from,
            valid_until=max(until, valid_from),
            status="redeemed" if held else "available",
            redeemed_at=now if held else None,
            redeemed_amount=held.amount if held else None,
            redeemed_for=f"assistance.fundingline:{held.pk}" if held else "",
        )


def backwards(apps, schema_editor):
    # The funding lines kept their codes: going back only forgets the vouchers made here.
    Voucher = apps.get_model("funds", "Voucher")
    Voucher.objects.filter(redeemed_for__startswith="assistance.fundingline:", redeemed_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0006_list_and_board_indexes"),
        ("funds", "0001_vouchers_aeos_contests_and_procurement"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
