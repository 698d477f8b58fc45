import datetime

import factory
from django.utils import timezone

from consultations.models import Consultation, FactSheet, Supplier, Topic
from core.tests.factories import CentreFactory, UserFactory


def topic(name: str = "Información tecnológica") -> Topic:
    return Topic.objects.get_or_create(name=name)[0]


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    centre = factory.SubFactory(CentreFactory, name="CentroPyME Lima")
    topic = factory.LazyFunction(topic)
    channel = "visit"
    question = "¿Dónde compro envases de vidrio?"
    answer = "En el directorio de proveedores."
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=6))
    ended_at = factory.LazyFunction(timezone.now)
    duration_seconds = factory.LazyAttribute(lambda c: int((c.ended_at - c.started_at).total_seconds()))
    contact_name = "María Flores"
    recorded_by = factory.SubFactory(UserFactory)


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Envases del Sur {n}")
    supplies = "Frascos de vidrio y tapas"


class FactSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactSheet

    title = factory.Sequence(lambda n: f"Registro sanitario DIGESA {n}")
    body = "Requisitos para obtener el registro sanitario de alimentos industrializados."
