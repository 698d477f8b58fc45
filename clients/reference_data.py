"""Reference data: Peru's ubigeo (INEI), the UIT by year, the size-class laws, the subsector catalogue.

Loaded by a migration and re-checked after every migrate or test-database flush
(post_migrate), so that the tables are never found empty. Idempotent: it only
adds what is missing and never overwrites what the administrator changed.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

SUBSECTORS = [
    "Panificación y pastelería",
    "Lácteos",
    "Frutas y hortalizas",
    "Confitería y chocolatería",
    "Apicultura",
    "Licores y macerados",
    "Molinería",
    "Cárnicos",
    "Bebidas",
    "Pastas y fideos",
    "Otros",
]

# law, valid from, valid to, class, rank, max workers, max sales in UIT.
# Ley 28015 also measures the seed's earlier years (1999-2003): the first MyPE law this system knows.
RULES = [
    ("Ley 28015", datetime.date(1990, 1, 1), datetime.date(2013, 7, 2), "micro", 1, 10, Decimal("150")),
    ("Ley 28015", datetime.date(1990, 1, 1), datetime.date(2013, 7, 2), "small", 2, 50, Decimal("850")),
    ("Ley 30056", datetime.date(2013, 7, 3), None, "micro", 1, None, Decimal("150")),
    ("Ley 30056", datetime.date(2013, 7, 3), None, "small", 2, None, Decimal("1700")),
    ("Ley 30056", datetime.date(2013, 7, 3), None, "medium", 3, None, Decimal("2300")),
]


def load_reference_data(*, Ubigeo, UitValue, SizeRule, Subsector) -> None:  # noqa: N803 - model classes
    if not Ubigeo.objects.exists():
        with open(DATA / "ubigeo_inei.csv", encoding="utf-8") as f:
            Ubigeo.objects.bulk_create(
                [
                    Ubigeo(code=r["code"], department=r["department"], province=r["province"], district=r["district"])
                    for r in csv.DictReader(f)
                ]
            )
    if not UitValue.objects.exists():
        with open(DATA / "uit_pe.csv", encoding="utf-8") as f:
            UitValue.objects.bulk_create(
                [
                    UitValue(
                        year=int(r["year"]),
                        amount=Decimal(r["uit_pen"]),
                        legal_basis="D.S. 301-2025-EF" if r["year"] == "2026" else "",
                    )
                    for r in csv.DictReader(f)
                ]
            )
    if not SizeRule.objects.exists():
        SizeRule.objects.bulk_create(
            [
                SizeRule(
                    law=law,
                    valid_from=start,
                    valid_to=end,
                    size_class=size,
                    rank=rank,
                    max_workers=workers,
                    max_sales_uit=sales,
                )
                for law, start, end, size, rank, workers, sales in RULES
            ]
        )
    if not Subsector.objects.exists():
        Subsector.objects.bulk_create([Subsector(name=name, order=i * 10) for i, name in enumerate(SUBSECTORS)])


def ensure_after_migrate(sender, app_config=None, **kwargs) -> None:
    if app_config is None or app_config.label != "clients":
        return
    from .models import SizeRule, Subsector, Ubigeo, UitValue

    load_reference_data(Ubigeo=Ubigeo, UitValue=UitValue, SizeRule=SizeRule, Subsector=Subsector)
