"""The consultant directory's writes: entries, evidence of accreditation, validation, and who may make them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from consultants.models import AccreditationDocument, Consultant
from consultants.services import (
    MAX_DOCUMENT_BYTES,
    check_upload,
    consultant_save,
    consultant_set_status,
    document_upload,
)
from consultants.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    ConsultantFactory,
    DocumentFactory,
    document_each_requirement,
)
from core.exceptions import DomainError, NotAllowed

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


def test_a_new_entry_starts_as_proposed_with_its_centres_and_specialties(administrator, lima, huancayo):
    consultant = consultant_save(
        user=administrator,
        fields={"first_name": "Rosa", "last_name": "Quispe", "hourly_fee": 45},
        centres=[lima, huancayo],
    )

    assert consultant.status == Consultant.Status.PROPOSED
    assert set(consultant.centres.all()) == {lima, huancayo}


def test_an_entry_needs_a_centre_and_is_not_kept_without_one(administrator):
    with pytest.raises(DomainError) as refusal:
        consultant_save(user=administrator, fields={"first_name": "Rosa", "last_name": "Quispe"}, centres=[])

    assert refusal.value.field == "centres"
    assert not Consultant.objects.exists()


def test_a_negative_fee_is_refused(administrator, lima):
    consultant = ConsultantFactory(centres=[lima])

    with pytest.raises(DomainError) as refusal:
        consultant_save(user=administrator, consultant=consultant, fields={"hourly_fee": -1})

    assert refusal.value.field == "hourly_fee"
    consultant.refresh_from_db()
    assert consultant.hourly_fee == 40


def test_a_user_account_is_linked_to_one_consultant_only(administrator, lima, consultant):
    ConsultantFactory(user=consultant, centres=[lima])

    with pytest.raises(DomainError) as refusal:
        consultant_save(
            user=administrator, fields={"first_name": "Otro", "last_name": "Más", "user": consultant}, centres=[lima]
        )

    assert refusal.value.field == "user"
    assert Consultant.objects.count() == 1


def test_unknown_fields_are_a_programming_error(administrator):
    with pytest.raises(ValueError, match="status"):
        consultant_save(user=administrator, fields={"first_name": "Rosa", "status": "validated"})


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
    document_each_requirement(consultant)

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


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ([], ["Professional or technical degree", "Documented consulting experience", "Methodology training"]),
        (["degree"], ["Documented consulting experience", "Methodology training"]),
        (["degree", "experience"], ["Methodology training"]),
        (["experience", "methodology"], ["Professional or technical degree"]),
        (["degree", "methodology", "methodology"], ["Documented consulting experience"]),
    ],
    ids=["none", "degree-only", "no-methodology", "no-degree", "no-experience"],
)
def test_validation_is_refused_naming_each_requirement_without_evidence(administrator, present, missing):
    consultant = ConsultantFactory(status=Consultant.Status.PROPOSED)
    for kind in present:
        DocumentFactory(consultant=consultant, kind=kind)

    with pytest.raises(DomainError) as refusal:
        consultant_set_status(user=administrator, consultant=consultant, status=Consultant.Status.VALIDATED)

    assert refusal.value.field == "status"
    message = str(refusal.value)
    for requirement in missing:
        assert requirement in message
    for kind in set(present):
        assert str(AccreditationDocument.Kind(kind).label) not in message
    consultant.refresh_from_db()
    assert (consultant.status, consultant.status_decided_by) == (Consultant.Status.PROPOSED, None)


def test_the_refusal_names_the_missing_requirements_in_spanish(administrator):
    consultant = ConsultantFactory(status=Consultant.Status.PROPOSED)
    DocumentFactory(consultant=consultant, kind="degree")

    with translation.override("es"), pytest.raises(DomainError) as refusal:
        consultant_set_status(user=administrator, consultant=consultant, status=Consultant.Status.VALIDATED)

    with translation.override("es"):
        message = str(refusal.value)
    assert "Falta" in message
    assert "Experiencia documentada en consultoría" in message


# --- The policy: only the administrator keeps the directory -----------------------------------------


@pytest.mark.parametrize("fixture", ["coordinator", "national_manager", "promoter", "consultant", "front_desk"])
def test_only_the_administrator_may_add_change_validate_or_upload_and_a_refusal_changes_nothing(request, fixture, lima):
    user = request.getfixturevalue(fixture)
    entry = ConsultantFactory(centres=[lima], status=Consultant.Status.PROPOSED, profession="Economista")
    document_each_requirement(entry)

    with pytest.raises(NotAllowed):
        consultant_save(user=user, fields={"first_name": "Rosa", "last_name": "Quispe"}, centres=[lima])
    with pytest.raises(NotAllowed):
        consultant_save(user=user, consultant=entry, fields={"profession": "Abogada"})
    with pytest.raises(NotAllowed):
        consultant_set_status(user=user, consultant=entry, status=Consultant.Status.VALIDATED)
    with pytest.raises(NotAllowed):
        document_upload(user=user, consultant=entry, kind="degree", file=upload("titulo.pdf", PDF_BYTES))

    entry.refresh_from_db()
    assert (entry.status, entry.profession) == (Consultant.Status.PROPOSED, "Economista")
    assert Consultant.objects.count() == 1
    assert entry.documents.count() == 3
