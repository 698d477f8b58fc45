"""Browser journeys: Playwright drives Debian's Chromium against Django's live server."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
                item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def snapshot(page, name: str) -> None:
    """Keep a screenshot in test-artifacts/ for people to look at; never a reason for a test to fail.

    A full-page capture of a long page can fail in a loaded headless Chromium ("Unable to capture
    screenshot"): then the visible part is kept, and failing that, nothing.
    """
    from playwright.sync_api import Error

    ARTIFACTS.mkdir(exist_ok=True)
    path = str(ARTIFACTS / (name if name.endswith(".png") else f"{name}.png"))
    for full_page in (True, False):
        try:
            page.screenshot(path=path, full_page=full_page)
            return
        except Error:
            continue


def _watch_policy_violations(page) -> list[str]:
    """What the Content-Security-Policy refused on the page: an inline script or style that slipped in."""
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return refused


@pytest.fixture
def phone(browser, request):
    """A page the size of a promoter's phone (375 px), in an English-speaking browser on purpose."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused = _watch_policy_violations(page)
    yield page
    snapshot(page, request.node.name)
    context.close()
    assert refused == [], "the Content-Security-Policy refused something on these pages"


@pytest.fixture
def desktop(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused = _watch_policy_violations(page)
    yield page
    snapshot(page, request.node.name)
    context.close()
    assert refused == [], "the Content-Security-Policy refused something on these pages"


@pytest.fixture
def demo_users(transactional_db, settings):
    """The demo centres and users of `seed_demo`, as a newcomer finds them."""
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False


def log_in(page, live_server, username, password="cat-demo-2026"):  # noqa: S107 - the documented demo password
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
