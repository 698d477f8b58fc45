"""Every link a user is shown works for that user.

For each demo user (one per role, from ``manage.py seed_demo``), the crawler starts at the
home page and follows every link its pages show: same host, GET, ``<a href>`` and the
``hx-get`` the pages fire, never logout or the language switch. It finds no 500, and no
link that answers 403 or 404 or sends a signed-in user back to the login page: a button or
menu entry shown without asking the policy (``allowed``) fails here, naming the page that
shows it. A link with a doubled "?" fails too (it loses its parameters: a "Next" that
reopens the first page).

Bounded: at most ``MAX_PAGES`` pages per role, at most ``PER_ROUTE`` addresses of the same
route (the tenth company's file tells nothing the first did not), and of the query-string
variants of a page only the second page of a list and each export (CSV, Excel) once.
Files and the Django admin's pages are fetched but not read for links.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from core.demo import USERS

MAX_PAGES = 300
PER_ROUTE = 4
NEVER = ("/accounts/logout/", "/i18n/")
NOT_READ = ("/admin/",)  # the admin has its own checks; its pages are fetched, not crawled
ALLOWED_VARIANTS = ({"page": "2"}, {"export": "csv"}, {"export": "xlsx"})


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _route(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name or match.route


class Crawl:
    def __init__(self, client):
        self.client = client
        self.seen: set[str] = set()
        self.per_route: dict[str, int] = {}
        self.paths_seen: set[str] = set()
        self.problems: list[str] = []
        self.visited = 0

    def _wanted(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            return False
        if not parts.path.startswith("/") or parts.path.startswith(NEVER) or url in self.seen:
            return False
        if parts.query:
            query = dict(parse_qsl(parts.query))
            if parts.path in self.paths_seen and query not in ALLOWED_VARIANTS:
                return False  # another filter or sort of a page already seen
        elif parts.path in self.paths_seen:
            return False
        return self.per_route.get(_route(parts.path), 0) < PER_ROUTE

    def _take(self, url: str) -> None:
        parts = urlsplit(url)
        self.seen.add(url)
        self.paths_seen.add(parts.path)
        route = _route(parts.path)
        self.per_route[route] = self.per_route.get(route, 0) + 1

    def run(self, start: str = "/") -> None:
        queue = deque([(start, "(start)")])
        while queue and self.visited < MAX_PAGES:
            url, found_on = queue.popleft()
            url = url.split("#")[0]
            if not url or not self._wanted(url):
                continue
            self._take(url)
            self.visited += 1
            response = self.client.get(url)
            status = response.status_code
            # Reading a file's stream to the end closes it the way the test client means to (with the
            # request_finished signal kept from closing the database connection). Closing the response
            # again here would send that signal: on PostgreSQL it closed the test's connection.
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if status >= 500 or status in (403, 404):
                self.problems.append(f"{url} answered {status} (linked from {found_on})")
                continue
            if status in (301, 302):
                target = response["Location"]
                if urlsplit(target).path == reverse("login"):
                    self.problems.append(f"{url} sent the user to the login page (linked from {found_on})")
                else:
                    queue.append((urljoin(url, target), url))
                continue
            if not response.get("Content-Type", "").startswith("text/html") or url.startswith(NOT_READ):
                continue
            for link in _links(body.decode()):
                if "??" in link:  # e.g. "?" before {% querystring %}, which writes its own: the parameter is lost
                    self.problems.append(f"{url} shows a malformed link {link!r}")
                    continue
                queue.append((urljoin(url, link), url))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data set, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("username", [user[0] for user in USERS])
def test_every_link_a_user_is_shown_opens_for_them(demo, db, username):
    from core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    crawl = Crawl(client)
    crawl.run()
    assert crawl.visited > 10, f"{username} reached only {crawl.visited} pages"
    assert not crawl.problems, f"{username}, {crawl.visited} pages:\n  " + "\n  ".join(crawl.problems)
