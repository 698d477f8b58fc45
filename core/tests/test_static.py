"""Vendored assets must not name a source map that is missing: collectstatic refuses them with DEBUG off."""

import re
from pathlib import Path

from django.conf import settings

SOURCE_MAP = re.compile(rb"sourceMappingURL=([^\s*]+)")


def test_every_source_map_a_static_file_names_is_in_the_repository():
    missing = []
    for path in Path(settings.BASE_DIR, "static").rglob("*"):
        if path.suffix not in (".js", ".css") or not path.is_file():
            continue
        for name in SOURCE_MAP.findall(path.read_bytes()[-500:]):
            if not (path.parent / name.decode()).exists():
                missing.append(f"{path.relative_to(settings.BASE_DIR)} -> {name.decode()}")
    assert not missing
