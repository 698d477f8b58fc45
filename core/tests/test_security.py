"""Hardening: Content-Security-Policy without inline code, cookies, sessions, passwords, lockout, uploads."""

import importlib
import inspect
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clients.tests.factories import CompanyFactory, EntrepreneurFactory
from consultations.models import FactSheet
from core.exceptions import DomainError
from core.tests.test_settings import _manage
from core.uploads import UploadValidator, check_upload

pytestmark = pytest.mark.django_db

PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq!v2@pz9$wm4^rt6&yb8*nc3(hd5)fj1_lg0+ea-CAT-prod-key",
    "ALLOWED_HOSTS": "cat.example.pe",
}

# --- Content-Security-Policy ----------------------------------------------------------------------


def test_every_page_carries_a_policy_that_allows_only_our_own_scripts_and_styles(client, client_for, promoter):
    for response in (client.get(reverse("login")), client_for(promoter).get(reverse("home"))):
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy


def _our_apps():
    """The project's own apps: under BASE_DIR, but not in a virtualenv inside it (.venv, as `make` builds
    it, holds Django's own apps and templates)."""
    for app in apps.get_app_configs():
        path = Path(app.path)
        if path.is_relative_to(settings.BASE_DIR) and "site-packages" not in path.parts:
            yield app


def _template_files():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [Path(app.path) / "templates" for app in _our_apps()]
    for root in roots:
        for path in root.rglob("*.html"):
            # PDF layouts are rendered by WeasyPrint on the server, never sent to a browser.
            if "/pdf/" not in path.as_posix():
                yield path


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on…= event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_holds_inline_script_handlers_or_styles():
    found = []
    for path in _template_files():
        text = path.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{path.relative_to(settings.BASE_DIR)}: {what}")
    assert found == []
    assert len(list(_template_files())) > 50  # the walk found the templates


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style" or (value or "").lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=…>")


def _inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


def test_rendered_pages_hold_no_inline_code_either(client_for, administrator, lima):
    """Widgets and third-party templates too: the forms, the API docs and the admin."""
    company = CompanyFactory(centre=lima)
    person = EntrepreneurFactory(centre=lima, company=company)
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    client = client_for(administrator)
    urls = [
        reverse("home"),
        reverse("clients:company_list"),
        reverse("clients:company_create"),
        reverse("clients:company_detail", args=[company.pk]),
        reverse("clients:entrepreneur_create"),
        reverse("clients:entrepreneur_detail", args=[person.pk]),
        reverse("clients:entrepreneur_anonymise", args=[person.pk]),
        reverse("consultations:conversion_report"),
        reverse("api-docs"),
        reverse("admin:index"),
        reverse("admin:clients_company_change", args=[company.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_code(response.content.decode()) == [], url


def test_the_api_docs_load_their_start_up_script_as_a_file(client_for, administrator):
    page = client_for(administrator).get(reverse("api-docs")).content.decode()
    assert "?script=" in page or "&amp;script=" in page
    script = client_for(administrator).get(reverse("api-docs") + "?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- Cookies, HSTS, sessions ---------------------------------------------------------------------


def test_production_settings_send_secure_cookies_and_hsts_and_end_sessions():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_HTTPONLY, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "s.SESSION_COOKIE_AGE)"
    )
    result = _manage("shell", "-c", code, **PROD_ENV)
    assert result.returncode == 0, result.stderr
    last_line = result.stdout.strip().splitlines()[-1]
    cookie_secure, csrf_secure, redirect, hsts, subdomains, httponly, at_close, age = last_line.split()
    assert (cookie_secure, csrf_secure, redirect, subdomains, httponly, at_close) == ("True",) * 6
    assert int(hsts) >= 365 * 24 * 3600
    assert int(age) <= 12 * 3600


def test_a_session_ends_when_the_browser_closes_and_after_a_working_day(client, promoter):
    client.post(reverse("login"), {"username": "promoter", "password": "secret-pass-123"})
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= 12 * 3600


# --- Passwords and lockout -----------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["Quispe-12", "12345678901", "password123", "promoter2026"])
def test_weak_new_passwords_are_refused(client_for, promoter, weak):
    response = client_for(promoter).post(
        reverse("password_change"),
        {"old_password": "secret-pass-123", "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200 and response.context["form"].errors
    promoter.refresh_from_db()
    assert promoter.check_password("secret-pass-123")


def _fail_logins(client, username, times):
    for _attempt in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong"})


def test_a_locked_out_username_does_not_lock_out_a_colleague(client, promoter, coordinator, settings):
    _fail_logins(client, "promoter", settings.AXES_FAILURE_LIMIT)
    assert client.post(reverse("login"), {"username": "promoter", "password": "secret-pass-123"}).status_code == 429
    other = Client()
    response = other.post(reverse("login"), {"username": "coordinator", "password": "secret-pass-123"})
    assert response.status_code == 302


def test_the_lockout_lifts_after_the_cool_off_time(client, promoter, settings):
    _fail_logins(client, "promoter", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    response = client.post(reverse("login"), {"username": "promoter", "password": "secret-pass-123"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_api_token_endpoint_is_locked_out_too(promoter, settings):
    client = Client()
    url = reverse("api-token")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "promoter", "password": "wrong"})
    response = client.post(url, {"username": "promoter", "password": "secret-pass-123"})
    # The right password no longer gets a token while the lockout lasts.
    assert response.status_code >= 400
    assert "token" not in response.json()


# --- Uploads -------------------------------------------------------------------------------------

PDF = b"%PDF-1.4 hoja"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("hoja.html", b"<html><script>alert(1)</script>"),  # a page a browser would run
        ("hoja.pdf", b"MZ\x90\x00 a program renamed"),
        ("hoja.svg", b"<svg onload=alert(1)>"),
        ("hoja.exe", b"MZ\x90\x00"),
        ("hoja", PDF),
    ],
)
def test_a_file_of_another_type_or_disguised_is_refused(name, content):
    with pytest.raises(DomainError):
        check_upload(SimpleUploadedFile(name, content))


def test_office_documents_and_images_are_accepted_when_their_content_matches():
    for name, content in [
        ("informe.pdf", PDF),
        ("informe.docx", b"PK\x03\x04 rest"),
        ("cuadro.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 rest"),
        ("foto.jpg", b"\xff\xd8\xff\xe0 rest"),
    ]:
        check_upload(SimpleUploadedFile(name, content))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(DomainError, match="1 MB"):
        check_upload(SimpleUploadedFile("grande.pdf", PDF + b"0" * (1024 * 1024)))


def test_the_fact_sheet_form_refuses_an_html_file_and_stores_nothing(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("consultations:fact_sheet_create"),
        {"title": "Ficha", "file": SimpleUploadedFile("ficha.html", b"<script>alert(1)</script>"), "is_active": "on"},
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not FactSheet.objects.exists()


def _form_classes():
    for app in _our_apps():
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_form_with_a_file_limits_its_type_and_size():
    file_fields = [
        (cls.__name__, name, field)
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.FileField)
    ]
    assert len(file_fields) >= 5
    unchecked = [
        f"{c}.{n}" for c, n, field in file_fields if not any(isinstance(v, UploadValidator) for v in field.validators)
    ]
    assert unchecked == []


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost", True),
        ("cat.example.pe", True),  # no scheme: not a link a mail client can open
        ("https://cat.example.pe", False),
    ],
)
def test_check_deploy_warns_while_site_url_is_not_the_public_address(settings, url, warned):
    from core.checks import site_url_is_public

    settings.SITE_URL = url
    assert [w.id for w in site_url_is_public(None)] == (["cat.W001"] if warned else [])
