"""Factories of the funds app: vouchers, AEOs with members, contests with the seed's rules, plans."""

import datetime
from decimal import Decimal

import factory

from clients.models import Ubigeo
from clients.tests.factories import CompanyFactory
from core.tests.factories import CentreFactory
from funds.models import AEO, AEOMember, Contest, ProductiveChain, Voucher, VoucherProgramme
from funds.reference_data import CATEGORIES, CRITERIA

CUSCO_DISTRICT = "080901"  # Santa Ana, La Convención: the seed's cacao chuncho


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoucherProgramme
        django_get_or_create = ("centre", "name")

    centre = factory.SubFactory(CentreFactory, name="CentroPyME Lima")
    name = "BonoPyME"
    funder = "PRODUCE"


class VoucherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voucher

    programme = factory.SubFactory(ProgrammeFactory)
    centre = factory.LazyAttribute(lambda v: v.programme.centre)
    code = factory.Sequence(lambda n: f"BP-2026-{n:04d}")
    holder_company = factory.SubFactory(CompanyFactory, centre=factory.SelfAttribute("..centre"))
    amount = Decimal("500.00")
    valid_from = datetime.date(2026, 1, 1)
    valid_until = datetime.date(2026, 12, 31)


def voucher_for(company, code: str, amount="500", **kwargs) -> Voucher:
    """A voucher held by ``company``, valid all of 2026 and the years around it."""
    programme = ProgrammeFactory(centre=company.centre)
    kwargs.setdefault("valid_from", datetime.date(2020, 1, 1))
    kwargs.setdefault("valid_until", datetime.date(2030, 12, 31))
    return VoucherFactory(
        programme=programme, code=code.strip().upper(), holder_company=company, amount=Decimal(amount), **kwargs
    )


def chain(name: str = "Cacao") -> ProductiveChain:
    return ProductiveChain.objects.get_or_create(name=name)[0]


class AEOFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AEO

    centre = factory.SubFactory(CentreFactory, name="CentroPyME Lima")
    kind = AEO.Kind.NATURAL
    name = factory.Sequence(lambda n: f"Asociación de Productores de Cacao {n}")
    founded_on = datetime.date(2018, 3, 1)
    annual_sales = Decimal("110000.00")
    district = factory.LazyFunction(lambda: Ubigeo.objects.get(code=CUSCO_DISTRICT))
    minutes = factory.django.FileField(filename="acta.pdf", data=b"%PDF-1.4 acta")
    minutes_certified_by = "Notaría Pérez, Quillabamba"


def add_members(aeo: AEO, count: int, *, board: bool = True) -> None:
    """``count`` members; the first three form the board (president, secretary, treasurer)."""
    roles = ["president", "secretary", "treasurer"] if board else []
    start = aeo.members.count()
    AEOMember.objects.bulk_create(
        AEOMember(
            aeo=aeo,
            dni=f"{40000000 + aeo.pk * 1000 + start + i:08d}",
            full_name=f"Socio {start + i + 1}",
            board_role=roles[i] if i < len(roles) and start == 0 else "member",
        )
        for i in range(count)
    )


def aeo_with(members: int = 12, **kwargs) -> AEO:
    aeo = AEOFactory(**kwargs)
    add_members(aeo, members)
    return aeo


def contest_in(centre, *, status=Contest.Status.OPEN, committee=(), budget="1000000", **kwargs) -> Contest:
    """A contest with the seed's categories and default criteria, open unless told otherwise."""
    from funds.models import Category, EvaluationCriterion

    fields = {
        "name": "PROCOMPITE Regional 2026",
        "owner": "Gobierno Regional de Cusco",
        "year": 2026,
        "budget": Decimal(budget),
        "uit_value": Decimal("5500"),
        "call_on": datetime.date(2026, 3, 1),
        "submissions_until": datetime.date(2026, 12, 31),
        "evaluation_until": datetime.date(2027, 1, 31),
        "results_on": datetime.date(2027, 2, 15),
        **kwargs,
    }
    contest = Contest.objects.create(centre=centre, status=status, **fields)
    contest.chains.add(chain("Cacao"))
    contest.committee.set(committee)
    for c in CATEGORIES:
        Category.objects.create(contest=contest, **{**c, "description": str(c["description"])})
    for i, (label, weight) in enumerate(CRITERIA, start=1):
        EvaluationCriterion.objects.create(contest=contest, name=str(label), weight=weight, order=i)
    return contest
