import datetime
from decimal import Decimal

import factory

from clients.models import Company, Diagnosis, Entrepreneur, Need, ProblemNode, Subsector, Ubigeo
from core.tests.factories import CentreFactory, UserFactory

# Districts of the two demo centres (INEI codes), loaded by the reference-data migration.
LIMA_DISTRICT = "150103"  # Ate
HUANCAYO_DISTRICT = "120114"  # El Tambo


def subsector(name: str = "Panificación y pastelería") -> Subsector:
    return Subsector.objects.get_or_create(name=name)[0]


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    centre = factory.SubFactory(CentreFactory, name="CentroPyME Lima")
    legal_name = factory.Sequence(lambda n: f"Panificadora Santa Rosa {n}")
    name_key = factory.LazyAttribute(lambda c: c.legal_name.lower())
    subsector = factory.LazyFunction(subsector)
    district = factory.LazyFunction(lambda: Ubigeo.objects.get(code=LIMA_DISTRICT))
    permanent_men = 2
    permanent_women = 3
    annual_sales = Decimal("120000.00")
    sales_year = 2025
    size_class = "micro"
    created_by = factory.SubFactory(UserFactory)


class EntrepreneurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrepreneur

    centre = factory.SubFactory(CentreFactory, name="CentroPyME Lima")
    first_name = factory.Faker("first_name", locale="es_ES")
    last_name = factory.Faker("last_name", locale="es_ES")
    gender = "F"
    created_by = factory.SubFactory(UserFactory)


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnosis

    company = factory.SubFactory(CompanyFactory)
    centre = factory.LazyAttribute(lambda d: d.company.centre)
    promoter = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: datetime.date(2026, 11, 2))


class ProblemNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProblemNode

    diagnosis = factory.SubFactory(DiagnosisFactory)
    kind = "central"
    text = "Baja productividad del horno"


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    company = factory.SubFactory(CompanyFactory)
    centre = factory.LazyAttribute(lambda n: n.company.centre)
    need_type = "assistance"


# --- Helpers for the service tests (plain values for services.*_create) ----------------------

SAN_JUAN_DE_LURIGANCHO = "150132"

# A diagnosis baseline that diagnosis_complete accepts (seed figures 1-6).
COMPLETE_BASELINE = {
    "product_line_count": 3,
    "patrimonial_band": "lt2500",
    "equipment_band": "lt1000",
    "working_day": "8",
}


def ubigeo(code: str) -> Ubigeo:
    return Ubigeo.objects.get(code=code)


def company_fields(**overrides) -> dict:
    """The fields of a valid company for services.company_create: a micro bakery in Ate, sales of 2025."""
    fields = {
        "legal_name": "Panificadora Santa Rosa",
        "subsector": subsector(),
        "district": ubigeo(LIMA_DISTRICT),
        "permanent_men": 2,
        "permanent_women": 3,
        "annual_sales": Decimal("120000.00"),
        "sales_year": 2025,
    }
    fields.update(overrides)
    return fields


def problem_tree_nodes(diagnosis: Diagnosis) -> tuple[ProblemNode, ProblemNode, ProblemNode]:
    """A minimal tree (central problem, one cause marked to address, one effect), written straight to the database."""
    central = ProblemNodeFactory(diagnosis=diagnosis, kind="central", text="Baja productividad del horno")
    cause = ProblemNodeFactory(
        diagnosis=diagnosis, kind="cause", parent=central, text="Horno sin mantenimiento", to_address=True
    )
    effect = ProblemNodeFactory(diagnosis=diagnosis, kind="effect", parent=central, text="Pedidos perdidos")
    return central, cause, effect
