"""`manage.py backup` and `restore`: every row and every uploaded file survives the round trip.

Runs against whatever database the suite uses: SQLite's backup API locally, pg_dump/pg_restore
in CI where DATABASE_URL is PostgreSQL. Transactional, because a restore replaces the database
as a whole and must see committed rows.
"""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from clients.models import Company
from clients.tests.factories import CompanyFactory, EntrepreneurFactory, NeedFactory
from consultants.tests.factories import DocumentFactory
from core.backup import backup_create, backup_prune, backup_restore

pytestmark = pytest.mark.django_db(transaction=True)


def _every_row():
    """Each concrete model's rows, in primary-key order, as plain tuples."""
    snapshot = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        snapshot[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return snapshot


def _every_file(root: Path):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def some_records(lima, promoter, media):
    company = CompanyFactory(centre=lima, legal_name="Panadería Los Andes")
    EntrepreneurFactory(centre=lima, company=company, first_name="Marta")
    NeedFactory(centre=lima, company=company)
    document = DocumentFactory()
    # A file nobody's row points at yet is kept too (the backup copies the folder, not the rows).
    (media / "loose").mkdir(parents=True)
    (media / "loose" / "nota.txt").write_bytes("Cañete\n".encode())
    return company, document


def test_a_backup_and_restore_bring_back_every_row_and_every_file(some_records, media, tmp_path):
    company, document = some_records
    rows_before = _every_row()
    files_before = _every_file(media)
    assert rows_before["clients.Company"] and len(files_before) == 2

    archive = backup_create(output=tmp_path / "backup.tar.gz")

    # Life goes on after the backup: a row changed, a row added, a file replaced, a file added.
    Company.objects.filter(pk=company.pk).update(legal_name="Cambiada")
    CompanyFactory(centre=company.centre, legal_name="Nueva después del respaldo")
    document.file.save("otro.pdf", ContentFile(b"%PDF-1.4 other"), save=True)
    (media / "loose" / "nota.txt").unlink()
    assert _every_row() != rows_before

    manifest = backup_restore(archive_path=archive)

    assert manifest["media_files"] == 2
    assert _every_row() == rows_before
    assert _every_file(media) == files_before
    assert Company.objects.get(pk=company.pk).legal_name == "Panadería Los Andes"


def test_the_archive_holds_a_manifest_the_database_and_the_media_folder(some_records, tmp_path):
    archive = backup_create(output=tmp_path / "b.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"] in names
    assert "media/loose/nota.txt" in names
    assert sum(n.startswith("media/") for n in names) == manifest["media_files"] == 2
    assert not (tmp_path / "b.tar.gz.partial").exists()


def test_the_commands_write_an_archive_and_restore_it_without_asking_when_told(some_records, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    out = io.StringIO()
    call_command("backup", stdout=out)
    archives = list((tmp_path / "backups").glob("cat-backup-*.tar.gz"))
    assert len(archives) == 1 and str(archives[0]) in out.getvalue()
    company, _ = some_records
    Company.objects.filter(pk=company.pk).delete()
    call_command("restore", str(archives[0]), "--noinput", stdout=io.StringIO())
    assert Company.objects.filter(pk=company.pk, legal_name="Panadería Los Andes").exists()


def test_restore_asks_for_confirmation_and_stops_without_a_yes(some_records, tmp_path, monkeypatch):
    company, _ = some_records
    archive = backup_create(output=tmp_path / "b.tar.gz")
    Company.objects.filter(pk=company.pk).update(legal_name="Cambiada")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Company.objects.get(pk=company.pk).legal_name == "Cambiada"


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        info = tarfile.TarInfo("hello.txt")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("restore", str(bogus), "--noinput", stdout=io.StringIO())


def test_keep_removes_all_but_the_newest_archives(tmp_path):
    import os

    for i in range(4):
        path = tmp_path / f"cat-backup-2026010{i}-000000.tar.gz"
        path.write_bytes(b"x")
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    removed = backup_prune(keep=2, directory=tmp_path)
    assert sorted(p.name for p in removed) == ["cat-backup-20260100-000000.tar.gz", "cat-backup-20260101-000000.tar.gz"]
    assert len(list(tmp_path.glob("*.tar.gz"))) == 2
