"""PDF rendering: one print stylesheet, shipped fonts, and a fetcher that reads only the project's static files."""

import pytest

from core import reports
from core.pdftext import pdf_fonts, pdf_text
from core.reports import FetchRefused, html_to_pdf, print_resources, render_document, render_pdf, url_fetcher


def test_the_fetcher_serves_the_projects_static_files():
    response = url_fetcher("https://static.cat.internal/css/print.css")
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"


def test_a_file_inside_static_may_be_named_by_its_path(settings):
    font = settings.BASE_DIR / "static" / "fonts" / "dejavu" / "DejaVuSans.ttf"
    assert url_fetcher(font.as_uri()).read()[:4] == b"\x00\x01\x00\x00"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        "https://static.cat.internal/../../etc/passwd",
        "https://static.cat.internal/css/missing.css",
        "http://example.com/logo.png",
        "https://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8000/static/css/print.css",
        "ftp://example.com/file",
    ],
)
def test_the_fetcher_refuses_files_outside_static_and_every_network_host(url):
    with pytest.raises(FetchRefused):
        url_fetcher(url)


def test_a_document_naming_a_remote_image_renders_without_fetching_it(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):  # pragma: no cover - reached only if the fetcher let it through
        raise AssertionError("WeasyPrint tried the network")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    html = (
        "<p>Texto</p>"
        '<img src="http://example.com/tracker.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://evil.example/x.css">'
    )

    pdf = html_to_pdf(html)

    assert "Texto" in pdf_text(pdf)
    assert pdf_fonts(pdf) == {"CAT-Sans"}  # the project's stylesheet applies, nothing else was fetched


def test_every_document_has_the_centre_page_numbers_a_spanish_date_and_the_shipped_font():
    import datetime

    moment = datetime.datetime(2026, 3, 9, 10, 30, tzinfo=datetime.UTC)
    pdf = render_pdf(
        "pdf/base.html",
        {"generated_at": moment, "document_title": "Prueba", "centre": {"name": "CentroPyME Lima", "city": "Lima"}},
    )
    text = pdf_text(pdf)
    assert "CentroPyME Lima" in text
    assert "Página 1 de 1" in text
    assert "9 de marzo de 2026" in text
    assert pdf_fonts(pdf) == {"CAT-Sans", "CAT-Sans-Bold"}  # the fonts from static/, embedded, whatever the machine has


@pytest.fixture
def fresh_print_resources(monkeypatch):
    """Forget this thread's parsed stylesheet, and count what the fetcher reads from static/."""
    reports._print_resources.__dict__.pop("value", None)
    read = []
    static_path = reports._static_path

    def counting(url):
        read.append(url.rsplit("/", 1)[-1])
        return static_path(url)

    monkeypatch.setattr(reports, "_static_path", counting)
    yield read
    reports._print_resources.__dict__.pop("value", None)


def test_the_print_stylesheet_and_its_fonts_are_read_once_per_thread(fresh_print_resources):
    first = html_to_pdf("<p>Uno</p>")
    second = html_to_pdf("<p>Dos</p>")

    assert "Uno" in pdf_text(first) and "Dos" in pdf_text(second)
    assert pdf_fonts(second) == {"CAT-Sans"}  # the cached fonts are still embedded
    fonts = [name for name in fresh_print_resources if name.endswith(".ttf")]
    assert sorted(fonts) == ["DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans.ttf"]


def test_another_thread_parses_its_own_stylesheet(fresh_print_resources):
    import threading

    mine = print_resources()
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(print_resources()))
    thread.start()
    thread.join()

    assert print_resources()[0] is mine[0]
    assert theirs[0][0] is not mine[0]


def test_a_changed_stylesheet_is_read_again(fresh_print_resources, settings, tmp_path, monkeypatch):
    import os
    import shutil

    # A copy stands in for static/css/print.css: touching the real file would make tests running
    # beside this one (pytest-xdist) parse it again too.
    copy = tmp_path / "print.css"
    shutil.copy(settings.BASE_DIR / "static" / "css" / "print.css", copy)
    static_path = reports._static_path
    monkeypatch.setattr(reports, "_static_path", lambda url: copy if url.endswith("/print.css") else static_path(url))
    before = print_resources()[0]
    assert print_resources()[0] is before
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    assert print_resources()[0] is not before


def _cells_by_line(document):
    """The vertical position of each cell, row by row, of a laid-out document."""
    lines = []

    def walk(box):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None and box.element_tag == "div" else []
        if "line" in classes and getattr(box, "children", None):
            lines.append([round(cell.position_y, 3) for cell in box.children if cell.element_tag == "span"])
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return lines


def test_a_rows_cells_stay_on_one_line_when_their_widths_add_up_to_the_whole_row():
    # 40 + 20 + 25 + 5 + 10: the rounding of these widths once pushed the last cell under the others.
    cells = "".join(
        f'<span class="cell {width}">{text}</span>'
        for width, text in [
            ("w40", "Actividad larga " * 4),
            ("w20", "Consultor"),
            ("w25", "05/01 – 12/01"),
            ("w5", "4"),
            ("w10 num", "10 %"),
        ]
    )
    document = render_document('<div class="rows">' + f'<div class="line">{cells}</div>' * 3 + "</div>")

    lines = _cells_by_line(document)
    assert len(lines) == 3
    assert all(len(set(line)) == 1 and len(line) == 5 for line in lines)


def test_every_row_of_every_document_uses_defined_widths_that_fit_the_page(settings):
    import re

    stylesheet = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    defined = set(re.findall(r"\.w(\d+) \{ width: \1%; \}", stylesheet))
    templates = list(settings.BASE_DIR.glob("*/templates/*/pdf/*.html"))
    assert templates
    for template in templates:
        for line in re.findall(r'<div class="line[^"]*">(.*?)</div>', template.read_text(), re.S):
            widths = re.findall(r'class="cell w(\d+)', line)
            assert set(widths) <= defined, f"{template.name}: a cell width print.css does not define"
            assert sum(map(int, widths)) <= 100, f"{template.name}: a row wider than the page"


def test_every_document_extends_the_one_print_base():
    """Every registered document gets the centre's header, the page numbers and the shipped fonts."""
    from django.template.loader import get_template

    from core.reports import report_kinds

    kinds = report_kinds()
    assert {"clients.diagnosis", "monitoring.monthly", "funds.resolution", "credit.statement"} <= set(kinds)
    for key, kind in kinds.items():
        source = get_template(kind.template).template.source
        assert '{% extends "pdf/base.html" %}' in source.split("\n", 1)[0], key
        assert "<style" not in source and "<link" not in source, key
