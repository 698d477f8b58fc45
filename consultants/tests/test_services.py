"""The consultant directory: entries, evidence of accreditation, validation, and who may be assigned."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from assistance.models import AccreditationDocument, Consultant, Stage
from assistance.services.directory import (
    MAX_DOCUMENT_BYTES,
    check_upload,
    consultant_save,
    consultant_set_status,
    document_upload,
)
from assistance.services.workflow import service_assign_consultant, service_cancel
from assistance.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    ConsultantFactory,
    DocumentFactory,
    ServiceFactory,
    build_service,
)
from clients.tests.factories import CompanyFactory
from core.exceptions import DomainError
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JPG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16
DOCX_BYTES = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 32


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- Uploads --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("titulo.pdf", PDF_BYTES),
        ("TITULO.PDF", PDF_BYTES),
        ("constancia.png", PNG_BYTES),
        ("foto.jpg", JPG_BYTES),
        ("foto.jpeg", JPG_BYTES),
        ("justo-5-mb.pdf", PDF_BYTES + b"0" * (MAX_DOCUMENT_BYTES - len(PDF_BYTES))),
    ],
)
def test_real_pdf_png_and_jpg_files_up_to_5_mb_are_accepted(name, content):
    file = upload(name, content)

    check_upload(file)

    # The check leaves the file ready to be stored from its first byte.
    assert file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("titulo.pdf", EXE_BYTES),  # an .exe renamed .pdf
        ("foto.png", PDF_BYTES),  # a PDF that claims to be a PNG
        ("foto.jpg", PNG_BYTES),
        ("titulo.docx", DOCX_BYTES),
        ("programa.exe", EXE_BYTES),
        ("titulo", PDF_BYTES),  # no extension
        ("titulo.", PDF_BYTES),  # empty extension
        ("titulo.pdf.exe", PDF_BYTES),
        ("grande.pdf", PDF_BYTES + b"0" * (MAX_DOCUMENT_BYTES - len(PDF_BYTES) + 1)),  # 5 MB and one byte
        ("vacio.pdf", b""),
    ],
)
def test_anything_but_a_real_pdf_png_or_jpg_of_at_most_5_mb_is_refused(name, content):
    with pytest.raises(DomainError) as refusal:
        check_upload(upload(name, content))

    assert refusal.value.field == "file"


def test_a_document_is_stored_with_who_uploaded_it(administrator):
    consultant = ConsultantFactory(status=Consultant.Status.PROPOSED)

    document = document_upload(
        user=administrator,
        consultant=consultant,
        kind="degree",
        file=upload("titulo.pdf", PDF_BYTES),
        description=" Ingeniera de alimentos ",
    )

    assert document.uploaded_by == administrator
    assert document.description == "Ingeniera de alimentos"
    assert document.file.name.startswith(f"consultants/{consultant.pk}/")
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


@pytest.mark.parametrize(
    ("kind", "name", "content", "field"),
    [("degree", "titulo.pdf", EXE_BYTES, "file"), ("diploma", "titulo.pdf", PDF_BYTES, "kind")],
)
def test_a_wrong_document_is_refused_and_nothing_is_stored(administrator, kind, name, content, field):
    consultant = ConsultantFactory(status=Consultant.Status.PROPOSED)

    with pytest.raises(DomainError) as refusal:
        document_upload(user=administrator, consultant=consultant, kind=kind, file=upload(name, content))

    assert refusal.value.field == field
    assert not AccreditationDocument.objects.exists()


# --- Entries and validation --------------------------------------------------------------------------


def test_a_new_entry_starts_as_proposed_with_its_centres_and_specialties(lima, huancayo):
    consultant = consultant_save(
        fields={"first_name": "Rosa", "last_name": "Quispe", "hourly_fee": 45}, centres=[lima, huancayo]
    )

    assert consultant.status == Consultant.Status.PROPOSED
    assert set(consultant.centres.all()) == {lima, huancayo}


def test_an_entry_needs_a_centre_and_is_not_kept_without_one():
    with pytest.raises(DomainError) as refusal:
        consultant_save(fields={"first_name": "Rosa", "last_name": "Quispe"}, centres=[])

    assert refusal.value.field == "centres"
    assert not Consultant.objects.exists()


def test_a_negative_fee_is_refused(lima):
    consultant = ConsultantFactory(centres=[lima])

    with pytest.raises(DomainError) as refusal:
        consultant_save(consultant=consultant, fields={"hourly_fee": -1})

    assert refusal.value.field == "hourly_fee"
    consultant.refresh_from_db()
    assert consultant.hourly_fee == 40


def test_a_user_account_is_linked_to_one_consultant_only(lima, consultant):
    ConsultantFactory(user=consultant, centres=[lima])

    with pytest.raises(DomainError) as refusal:
        consultant_save(fields={"first_name": "Otro", "last_name": "Más", "user": consultant}, centres=[lima])

    assert refusal.value.field == "user"
    assert Consultant.objects.count() == 1


def test_unknown_fields_are_a_programming_error():
    with pytest.raises(ValueError, match="status"):
        consultant_save(fields={"first_name": "Rosa", "status": "validated"})


def test_a_consultant_without_documents_cannot_be_validated(administrator):
    consultant = ConsultantFactory(status=Consultant.Status.PROPOSED)

    with pytest.raises(DomainError) as refusal:
        consultant_set_status(user=administrator, consultant=consultant, status=Consultant.Status.VALIDATED)

    assert refusal.value.field == "status"
    consultant.refresh_from_db()
    assert consultant.status == Consultant.Status.PROPOSED
    assert consultant.status_decided_by is None
    assert consultant.status_decided_at is None


def test_validating_a_documented_consultant_records_who_decided_and_when(administrator):
    consultant = ConsultantFactory(status=Consultant.Status.PROPOSED)
    DocumentFactory(consultant=consultant, kind="experience")

    consultant_set_status(user=administrator, consultant=consultant, status=Consultant.Status.VALIDATED)

    consultant.refresh_from_db()
    assert consultant.status == Consultant.Status.VALIDATED
    assert consultant.status_decided_by == administrator
    assert timezone.now() - consultant.status_decided_at < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("status", [Consultant.Status.REJECTED, Consultant.Status.INACTIVE])
def test_rejecting_or_deactivating_needs_no_documents(administrator, status):
    consultant = ConsultantFactory(status=Consultant.Status.PROPOSED)

    consultant_set_status(user=administrator, consultant=consultant, status=status)

    consultant.refresh_from_db()
    assert (consultant.status, consultant.status_decided_by) == (status, administrator)


def test_an_unknown_status_is_refused(administrator):
    consultant = ConsultantFactory()

    with pytest.raises(DomainError):
        consultant_set_status(user=administrator, consultant=consultant, status="famous")

    consultant.refresh_from_db()
    assert consultant.status == Consultant.Status.VALIDATED


# --- Assigning consultants to services -------------------------------------------------------------------


@pytest.fixture
def service(lima):
    return ServiceFactory(company=CompanyFactory(centre=lima))


@pytest.mark.parametrize("status", [Consultant.Status.PROPOSED, Consultant.Status.REJECTED, Consultant.Status.INACTIVE])
def test_only_validated_consultants_can_be_assigned(service, coordinator, lima, status):
    consultant = ConsultantFactory(status=status, centres=[lima])

    with pytest.raises(DomainError) as refusal:
        service_assign_consultant(user=coordinator, service=service, consultant=consultant)

    assert refusal.value.field == "consultant"
    assert not service.consultants.exists()


def test_a_consultant_who_does_not_serve_the_centre_cannot_be_assigned(service, coordinator, huancayo):
    consultant = ConsultantFactory(centres=[huancayo])

    with pytest.raises(DomainError, match="does not serve this centre"):
        service_assign_consultant(user=coordinator, service=service, consultant=consultant)

    assert not service.consultants.exists()


def test_a_validated_consultant_serving_the_centre_is_assigned(service, coordinator, lima, huancayo):
    consultant = ConsultantFactory(centres=[huancayo, lima])

    service_assign_consultant(user=coordinator, service=service, consultant=consultant)

    assert list(service.consultants.all()) == [consultant]


def test_a_closed_or_cancelled_service_takes_no_consultants(lima, promoter, coordinator, consultant):
    closed = build_service(
        Stage.CLOSED, promoter=promoter, coordinator=coordinator, consultant_user=consultant, centre=lima
    )
    cancelled = service_cancel(user=coordinator, service=ServiceFactory(company=closed.company), reason="Duplicado")
    newcomer = ConsultantFactory(centres=[lima], user=UserFactory())

    for service in (closed, cancelled):
        with pytest.raises(DomainError, match="Only an open service"):
            service_assign_consultant(user=coordinator, service=service, consultant=newcomer)
        assert not service.consultants.filter(pk=newcomer.pk).exists()
