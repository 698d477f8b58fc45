"""The Spanish catalogue is complete: nothing untranslated, nothing fuzzy, nothing missing."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_the_spanish_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(PO_FILE))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_translatable_string_of_the_code_is_in_the_spanish_catalogue(tmp_path):
    """Extract the strings afresh in a copy of the tree: a string added without `make messages` fails."""
    base = Path(settings.BASE_DIR)
    ignore = shutil.ignore_patterns(
        ".venv",
        ".git",
        "static",
        "staticfiles",
        "media",
        "node_modules",
        "*.pyc",
        "__pycache__",
        "*.mo",
        "db.sqlite3*",
        "bench-results",
        "test-artifacts",
    )
    copy = tmp_path / "tree"
    shutil.copytree(base, copy, ignore=ignore)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location", "--ignore=static"],
        cwd=copy,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "cat_center.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries()] + [e.msgid for e in fresh.fuzzy_entries()]
    assert not missing, f"run `make messages` and translate: {missing}"
