"""PDF rendering: one print stylesheet, shipped fonts, and a fetcher that reads only the project's static files."""

import pytest

from core.pdftext import pdf_fonts, pdf_text
from core.reports import FetchRefused, html_to_pdf, render_pdf, url_fetcher


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
        '<link rel="stylesheet" href="css/print.css"><p>Texto</p>'
        '<img src="http://example.com/tracker.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://evil.example/x.css">'
    )

    pdf = html_to_pdf(html)

    assert "Texto" in pdf_text(pdf)
    assert pdf_fonts(pdf) == {"CAT-Sans"}  # the project's stylesheet was fetched, nothing else


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
