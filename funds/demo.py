"""Demo data of the funds app: BonoPyME vouchers and the seed's PROCOMPITE cacao case.

The contest, the Inti family's business plan (cacao chuncho, La Convención, Cusco), its
evaluation and the purchase of its machinery are built through the real services, with
the seed's dates: requirement 4 Feb 2021, four calls (three void), the winning bidder,
a 25-day extension, the annulment of March 2022 that sent it back to zero, two more
calls; 515 days by 4 July 2022 against 120 planned: late. Idempotent: a contest that
already exists is left as it is.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from clients.models import Company, Ubigeo
from core.models import Centre, User

from . import services
from .models import AEO, Contest, ProductiveChain, Voucher

D = datetime.date
M = Decimal
CONTEST = "PROCOMPITE Regional Cusco 2020"
SITUATION_ON = D(2022, 7, 4)  # the seed's "a la fecha": 515 days after the requirement

STEPS = [
    ("call", D(2021, 6, 4), None, "Primera convocatoria"),
    ("void", D(2021, 6, 4), None, "Desierta"),
    ("call", D(2021, 6, 28), None, "Segunda convocatoria"),
    ("void", D(2021, 6, 28), None, "Desierta"),
    ("call", D(2021, 7, 26), None, "Tercera convocatoria"),
    ("void", D(2021, 7, 26), None, "Desierta"),
    ("call", D(2021, 8, 17), None, "Cuarta convocatoria: buena pro"),
    ("award", D(2021, 10, 15), None, "Postor ganador"),
    ("extension", D(2021, 12, 14), 25, "Entrega prevista el 14/12/2021: el postor pide ampliación de plazo"),
    ("annulment", D(2022, 3, 1), None, "Resolución de nulidad: el proveedor no entrega los bienes"),
    ("call", D(2022, 5, 23), None, "Primera convocatoria"),
    ("void", D(2022, 5, 23), None, "Desierta"),
    ("call", D(2022, 6, 30), None, "Segunda convocatoria, en la plataforma SEACE"),
]

LINES = [
    ("goods", "Clasificadora de cacao", "Capacidad 300 kg/h, acero inoxidable", "1", "28000", "public"),
    ("goods", "Tostadora de cacao", "Tambor rotatorio, 60 kg por lote", "1", "32000", "public"),
    ("goods", "Descascaradora de cacao", "Con ventilador separador de cascarilla", "1", "18000", "public"),
    ("goods", "Molino de cacao", "Molino de discos para pasta de cacao", "1", "25000", "public"),
    ("goods", "Insumos y equipos para los 30 productores proveedores", "Secadores solares y cajones de fermentación",
     "1", "77000", "public"),
    ("services", "Capital de trabajo: compra de cacao chuncho", "", "1", "60000", "money"),
    ("goods", "Local de producción y equipos propios", "Valorizados por el AEO", "1", "125000", "in_kind"),
]  # fmt: skip


def seed(options, stdout) -> None:
    lima = Centre.objects.filter(name="CentroPyME Lima").first()
    coordinator = User.objects.filter(username="coordinador").first()
    manager = User.objects.filter(username="admin").first()
    if lima is None or coordinator is None or manager is None:
        stdout.write("funds: no demo centre or users, nothing seeded")
        return
    vouchers = _vouchers(lima, coordinator)
    if Contest.objects.filter(name=CONTEST).exists():
        stdout.write(f"funds: {vouchers} vouchers; the contest {CONTEST} already exists")
        return
    plan = _contest(lima, coordinator, manager)
    purchase = services.purchase_create(
        user=coordinator,
        plan=plan,
        description="Clasificadora, tostadora, descascaradora y molino de cacao",
        amount=M("103000"),
        requirement_on=D(2021, 2, 4),
        planned_days=plan.execution_days,
        situation_on=SITUATION_ON,
    )
    for kind, on, days, note in STEPS:
        services.purchase_step_record(user=coordinator, purchase=purchase, kind=kind, date=on, days=days, note=note)
    stdout.write(f"funds: {vouchers} vouchers, the contest {CONTEST} with the Inti family's cacao plan and purchase")


def _vouchers(centre, coordinator) -> int:
    programme = services.programme_create(user=coordinator, centre=centre, name="BonoPyME", funder="PRODUCE")
    today = timezone.localdate()
    companies = list(Company.objects.filter(centre=centre).order_by("pk")[:4])
    for i, company in enumerate(companies, start=1):
        code = f"BP-{today.year}-{i:04d}"
        if not Voucher.objects.filter(code=code).exists():
            services.voucher_issue(
                user=coordinator, programme=programme, code=code, amount=M("1500") if i % 2 else M("800"),
                valid_from=D(today.year, 1, 1), valid_until=D(today.year, 12, 31), holder_company=company,
            )  # fmt: skip
    return Voucher.objects.filter(centre=centre).count()


def _contest(centre, coordinator, manager):
    cacao = ProductiveChain.objects.get_or_create(name="Cacao")[0]
    chains = [cacao, *ProductiveChain.objects.filter(name__in=["Café", "Fibra de alpaca", "Hortalizas", "Paltas"])]
    contest = services.contest_create(
        user=coordinator,
        centre=centre,
        name=CONTEST,
        owner="Gobierno Regional de Cusco, Gerencia de Desarrollo Económico",
        year=2020,
        budget=M("7358198.68"),
        call_on=D(2020, 2, 3),
        submissions_until=D(2020, 6, 30),
        evaluation_until=D(2020, 9, 30),
        results_on=D(2020, 11, 16),
        chains=chains,
        zones="La Convención\nCusco\nCalca\nQuispicanchi",
        committee=[coordinator, manager],
    )
    services.contest_open(user=coordinator, contest=contest)
    aeo = services.aeo_create(
        user=coordinator,
        centre=centre,
        kind=AEO.Kind.LEGAL,
        name="Negocio familiar Inti S.R.L.",
        ruc="20490000017",
        founded_on=D(2014, 5, 12),
        annual_sales=M("210000"),
        district=Ubigeo.objects.get(code="080901"),
        # A stand-in for the notarised acta, so its (permission-checked) download shows in the demo.
        minutes=ContentFile(b"%PDF-1.4\n% Acta de constitucion (demo)\n%%EOF\n", name="acta-inti.pdf"),
        minutes_certified_by="Notaría Quispe, Quillabamba",
    )
    plan = services.plan_create(
        user=coordinator,
        contest=contest,
        aeo=aeo,
        chain=cacao,
        category=contest.categories.get(code="B"),
        title="Chocolate de taza y derivados del cacao chuncho",
        execution_days=120,
        direct_jobs=8,
        indirect_jobs=30,
    )
    for kind, description, spec, quantity, price, source in LINES:
        services.investment_line_add(
            user=coordinator, plan=plan, kind=kind, description=description, specification=spec,
            quantity=M(quantity), unit_price=M(price), source=source,
        )  # fmt: skip
    services.plan_submit(user=coordinator, plan=plan, on=D(2020, 6, 15))
    services.contest_close_submissions(user=coordinator, contest=contest)
    for member, scores in ((coordinator, (80, 75, 85, 90)), (manager, (78, 80, 82, 88))):
        for criterion, score in zip(contest.criteria.all(), scores, strict=True):
            services.score_record(user=member, plan=plan, criterion=criterion, score=M(score))
    services.winners_choose(user=coordinator, contest=contest, resolution_number="Resolución de ejemplo N° 001-2020")
    plan.refresh_from_db()
    return plan
