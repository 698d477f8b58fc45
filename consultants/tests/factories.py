"""Factories of the consultant directory (the apps that assign consultants use them too)."""

from decimal import Decimal

import factory

from consultants.models import AccreditationDocument, Consultant, SpecialtyArea
from core.tests.factories import CentreFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def area(code: str = "production") -> SpecialtyArea:
    return SpecialtyArea.objects.get_or_create(code=code)[0]


class ConsultantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultant
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="es_ES")
    last_name = factory.Faker("last_name", locale="es_ES")
    hourly_fee = Decimal("40.00")
    status = Consultant.Status.VALIDATED

    @factory.post_generation
    def centres(self, create, extracted, **kwargs):
        self.centres.add(*(extracted or [CentreFactory(name="CentroPyME Lima")]))

    @factory.post_generation
    def subsectors(self, create, extracted, **kwargs):
        if extracted:
            self.subsectors.add(*extracted)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccreditationDocument

    consultant = factory.SubFactory(ConsultantFactory)
    kind = "degree"
    file = factory.django.FileField(filename="titulo.pdf", data=PDF_BYTES)
    uploaded_by = factory.SubFactory(UserFactory)


def document_each_requirement(consultant: Consultant, **kwargs) -> list[AccreditationDocument]:
    """One evidence document for each of the three requirements: enough to validate."""
    return [DocumentFactory(consultant=consultant, kind=kind, **kwargs) for kind in AccreditationDocument.Kind.values]
