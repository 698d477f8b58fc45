"""The defaults a new contest starts from: the seed's categories (Directiva General N° 001-2021-PRODUCE)
and a set of evaluation criteria. Both are copied into each contest as data the coordinator may edit."""

from decimal import Decimal as D

from django.utils.translation import gettext_lazy as _

CATEGORIES = [
    {
        "code": "A",
        "description": _("AEO of at least ten members"),
        "legal_person_only": False,
        "min_members": 10,
        "min_years": None,
        "min_sales_uit": None,
        "max_sales_uit": None,
        "min_cofinancing": D("80000"),
        "max_cofinancing": D("160000"),
        "min_counterpart_share": D("20"),
        "min_monetary_share": D("5"),
        "max_public_share": D("80"),
    },
    {
        "code": "B",
        "description": _("Legal persons with at least one year of existence"),
        "legal_person_only": True,
        "min_members": None,
        "min_years": 1,
        "min_sales_uit": None,
        "max_sales_uit": None,
        "min_cofinancing": D("80000"),
        "max_cofinancing": D("350000"),
        "min_counterpart_share": D("30"),
        "min_monetary_share": D("10"),
        "max_public_share": D("70"),
    },
    {
        "code": "C",
        "description": _("AEO of at least twenty members, one year old, with sales of 5 to 1,000 UIT"),
        "legal_person_only": False,
        "min_members": 20,
        "min_years": 1,
        "min_sales_uit": D("5"),
        "max_sales_uit": D("1000"),
        "min_cofinancing": D("100000"),
        "max_cofinancing": D("1000000"),
        "min_counterpart_share": D("50"),
        "min_monetary_share": D("20"),
        "max_public_share": D("50"),
    },
]

CRITERIA = [
    (_("Technical viability"), D("30")),
    (_("Economic and financial viability"), D("30")),
    (_("Organisation and capacity of the AEO"), D("20")),
    (_("Social and environmental impact"), D("20")),
]

CHAINS = [
    "Cacao",
    "Café",
    "Quinua",
    "Fibra de alpaca",
    "Hortalizas",
    "Paltas",
    "Lácteos",
    "Panificación",
    "Miel de abeja",
    "Trucha",
]
