"""`make bench`: the client lists run a fixed number of SQL queries and stay fast with 100,000 companies.

Run as ``.venv/bin/python bench/run.py``. It never touches the developer's database:
it works on its own SQLite files under ``bench-results/`` (or on the PostgreSQL
database named by ``BENCH_DATABASE_URL``). For each of two databases, a small one
and a large one, a child process migrates it, seeds it with
``seed_demo --companies N`` (skipped when it already holds N) and requests every
page as three users through Django's test client, counting the SQL queries of
each request. The parent compares the two and writes ``bench-results/bench.md``
and ``bench.json``.

In PostgreSQL mode (``BENCH_POSTGRES=1``) it then serves the large database with gunicorn, measures the
pages over HTTP, and runs a bounded Locust load test against it (``bench/load.py``, knobs there). Every run
also writes ``bench/results.md``: the report with the date, the machine and the database it ran on.

It fails (exit status 1) when a page answers other than 200, when a page's query
count differs between the small and the large database (or between two requests
of the same page), when a page's median time on the large database is over
the budget, or (PostgreSQL mode) when a request of the load run failed.

Environment knobs:

    BENCH_COMPANIES           companies in the large database (100000)
    BENCH_SMALL               companies in the small database (0: only the demo set, 42 companies)
    BENCH_REPEAT              timed requests per page and user (5)
    BENCH_BUDGET_MS           the most a page's median may take on the large database (1500)
    BENCH_DATABASE_URL        the large database (sqlite:///bench-results/bench.sqlite3),
                              e.g. postgres://cat:secret@127.0.0.1:5432/cat_bench
    BENCH_SMALL_DATABASE_URL  the small database (sqlite:///bench-results/bench-small.sqlite3)
    BENCH_DASHBOARD_P95_MS    served mode: the most the managers' dashboard's p95 may take (500)
    BENCH_DOCS                documents in the PDF batch, rendered on the small database (100)
    BENCH_DOC_REPEAT          timed renderings of the minimal document and of the action plan, in turns (9)

The small run also measures the PDF documents (not a pass/fail check): a page of a 4-page
action plan against a minimal one-page WeasyPrint document (target at most 5x), and a
batch of real service documents as documents per minute.
"""

import json
import math
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
RESULTS_MD = ROOT / "bench" / "results.md"  # the committed record: the report, with the machine it ran on
USERS = ["promotor", "coordinador", "gerente"]


def _env_int(name: str, default: int) -> int:
    import load

    return load.env_int(os.environ, name, default)


def _config() -> dict:
    large_url = os.environ.get("BENCH_DATABASE_URL", "")
    postgres = os.environ.get("BENCH_POSTGRES", "") not in ("", "0") or large_url.startswith("postgres")
    return {
        "companies": _env_int("BENCH_COMPANIES", 100_000),
        "small": _env_int("BENCH_SMALL", 0),
        "repeat": max(1, _env_int("BENCH_REPEAT", 5)),
        "budget_ms": _env_int("BENCH_BUDGET_MS", 1500),
        "large_url": large_url or f"sqlite:///{RESULTS / 'bench.sqlite3'}",
        "small_url": os.environ.get("BENCH_SMALL_DATABASE_URL") or f"sqlite:///{RESULTS / 'bench-small.sqlite3'}",
        # PostgreSQL mode: a throw-away cluster unless BENCH_DATABASE_URL names one, and the served run.
        "postgres": postgres,
        "throwaway": postgres and not large_url,
        "served_users": [u for u in os.environ.get("BENCH_SERVED_USERS", "coordinador,gerente").split(",") if u],
        "clients": max(1, _env_int("BENCH_CLIENTS", 4)),
        "seconds": max(1, _env_int("BENCH_SECONDS", 3)),
        "workers": max(1, _env_int("BENCH_WORKERS", 2)),
        "list_p95_ms": _env_int("BENCH_LIST_P95_MS", 200),
        "dashboard_p95_ms": _env_int("BENCH_DASHBOARD_P95_MS", 500),
        "detail_p95_ms": _env_int("BENCH_DETAIL_P95_MS", 100),
        "max_queries": _env_int("BENCH_MAX_QUERIES", 15),
        "dashboard_max_queries": _env_int("BENCH_DASHBOARD_MAX_QUERIES", 30),
        "sql_ratio": _env_int("BENCH_SQL_RATIO", 3),
        # Rendering a list page takes Django some 20-30 ms of its own, whatever the SQL: a page whose SQL
        # takes 5 ms cannot be within 3x of it. The check is p50 <= ratio x SQL + this allowance.
        "render_ms": _env_int("BENCH_RENDER_MS", 60),
    }


# --- Child process: one database ---------------------------------------------------------------


def _pages(
    subsector_id: int | None, company_id: int | None, service_id: int | None = None
) -> list[tuple[str, str, list, str]]:
    """(label, URL name, args, query string): the pages measured, each as every user."""
    detail_args = [company_id] if company_id else None
    service_args = [service_id] if service_id else None
    return [
        ("home", "home", [], ""),
        ("companies", "clients:company_list", [], ""),
        ("companies ?q=pan", "clients:company_list", [], "q=pan"),
        ("companies ?subsector", "clients:company_list", [], f"subsector={subsector_id}" if subsector_id else ""),
        ("companies ?size_class=micro", "clients:company_list", [], "size_class=micro"),
        ("companies ?o=-annual_sales", "clients:company_list", [], "o=-annual_sales"),
        ("companies ?page=200", "clients:company_list", [], "page=200"),
        ("companies ?q=panaderia", "clients:company_list", [], "q=panaderia"),
        ("company detail", "clients:company_detail", detail_args, ""),
        ("entrepreneurs", "clients:entrepreneur_list", [], ""),
        ("entrepreneurs ?kind=proto", "clients:entrepreneur_list", [], "kind=proto"),
        ("entrepreneurs ?q=quispe", "clients:entrepreneur_list", [], "q=quispe"),
        ("entrepreneurs ?page=200", "clients:entrepreneur_list", [], "page=200"),
        ("needs", "clients:need_list", [], ""),
        ("services", "assistance:service_list", [], ""),
        ("services ?q=pan", "assistance:service_list", [], "q=pan"),
        ("pipeline board", "assistance:pipeline", [], ""),
        ("expediente", "assistance:service_detail", service_args, ""),
        ("loans", "credit:loan_list", [], ""),
        ("dashboard", "monitoring:dashboard", [], ""),
        ("dashboard 1999-2004", "monitoring:dashboard", [], "date_from=1999-01-01&date_to=2004-12-31"),
    ]


# Pages a role may not open (their policy answers 403): not measured as that user.
NOT_FOR = {"loans": {"promotor"}, "dashboard": {"promotor"}, "dashboard 1999-2004": {"promotor"}}
DASHBOARD_PAGES = {"dashboard", "dashboard 1999-2004"}


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (with 5 requests, p95 is the slowest one)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class _PageRecorder:
    """Remembers the last page the lists' paginator handed out, to report how many rows a list showed."""

    def __init__(self, paginator_class):
        self.page = None
        original = paginator_class.page

        def page(paginator, number):
            self.page = original(paginator, number)
            return self.page

        paginator_class.page = page

    def rows(self) -> int | None:
        # The template has iterated the page already: counting it runs no query.
        return None if self.page is None else len(self.page.object_list)


def child(label: str, target: int, repeat: int, out: Path) -> None:
    time_sql = os.environ.get("BENCH_TIME_SQL") == "1"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from clients.demo import COMPANIES as DEMO_COMPANIES
    from clients.models import Company, Entrepreneur, Need, Subsector
    from core.models import User

    def say(text: str) -> None:
        print(f"bench [{label}] {text}", flush=True)

    result = {"label": label, "target": target, "vendor": connection.vendor}
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    result["migrate_s"] = round(time.monotonic() - started, 1)
    # seed_demo always loads the demo set; --companies N tops it up to N. Monitoring's demo then adds the
    # project's 1999-2004 clients.
    # The small database goes without it: its lists must show fewer rows than a page (see _unproven).
    from monitoring.demo import HISTORY_COMPANIES

    no_history = os.environ.get("BENCH_NO_HISTORY") == "1"
    expected = max(target, len(DEMO_COMPANIES)) + (0 if no_history else HISTORY_COMPANIES)
    before = Company.objects.count()
    if before > expected:
        own_file = os.environ.get("BENCH_OWN_FILE")
        if not own_file:
            sys.exit(
                f"bench [{label}]: the database holds {before:,} companies, more than the {expected:,} asked for; "
                "empty it or point the URL at another one"
            )
        say(f"holds {before:,} companies, more than the {expected:,} asked for: starting {own_file} afresh")
        connection.close()
        Path(own_file).unlink()
        call_command("migrate", interactive=False, verbosity=0)
        before = 0
    result["seed_s"] = None
    if before < expected or User.objects.filter(username__in=USERS).count() != len(USERS):
        say(f"seeding {expected:,} companies (the database holds {before:,})")
        started = time.monotonic()
        call_command("seed_demo", companies=target or None, no_history=no_history)
        result["seed_s"] = round(time.monotonic() - started, 1)
        say(f"seeded in {result['seed_s']} s")
    else:
        say(f"already holds {before:,} companies: not seeding")
    result["companies"] = Company.objects.count()
    result["entrepreneurs"] = Entrepreneur.objects.count()
    result["needs"] = Need.objects.count()

    # The same records in the small and the large database: the realistic set is seeded first in both.
    subsector = Subsector.objects.filter(name="Panificación y pastelería").first()
    detail = (
        Company.objects.filter(centre__name="CentroPyME Lima", diagnoses__isnull=False)
        .annotate(n=Count("diagnoses"))
        .order_by("-n", "id")
        .first()
    )
    result["detail_company"] = str(detail) if detail else None
    from assistance.models import Service

    service_id = (
        Service.objects.filter(centre__name="CentroPyME Lima").order_by("id").values_list("id", flat=True).first()
    )

    from core.pagination import IndexedPaginator

    recorder = _PageRecorder(IndexedPaginator)
    rows = []
    for username in USERS:
        user = User.objects.get(username=username)
        # A page that crashes is reported as its 500, not raised.
        client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for page, url_name, args, query in _pages(subsector and subsector.pk, detail and detail.pk, service_id):
            if username in NOT_FOR.get(page, ()):
                continue
            row = {"page": page, "user": username, "url_name": url_name}
            rows.append(row)
            if args is None:
                row["error"] = "no Lima record to show on this page (demo data missing)"
                continue
            try:
                url = reverse(url_name, args=args)
            except NoReverseMatch:
                row["error"] = f"missing route: no URL named {url_name!r}"
                say(row["error"])
                continue
            url = f"{url}?{query}" if query else url
            row["url"] = url
            times, counts, statuses = [], [], []
            # One request to warm the caches (templates, translations), then the timed ones.
            for attempt in range(repeat + 1):
                # With DEBUG on, the connection keeps the last 9,000 queries; once that log is full (seeding
                # fills it) CaptureQueriesContext sees no new ones. Start each request with an empty log.
                reset_queries()
                recorder.page = None
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                statuses.append(response.status_code)
                if attempt:
                    times.append(elapsed)
                    counts.append(len(queries.captured_queries))
            row["rows"] = recorder.rows()
            if time_sql:
                row["sql_ms"], row["sql_statements"] = _time_sql(connection, queries.captured_queries, repeat)
            row["status"] = sorted(set(statuses))
            row["queries"] = sorted(set(counts))
            row["median_ms"] = round(statistics.median(times), 1)
            row["p95_ms"] = round(_percentile(times, 0.95), 1)
            say(
                f"{username:<12} {page:<28} {row['status']} {row['queries']} queries, {row['rows']} rows, "
                f"median {row['median_ms']} ms"
            )
    result["rows"] = rows
    if label == "small":
        result["documents"] = _documents(say)
    if time_sql:
        # Sessions for the served run (signed with the SECRET_KEY that gunicorn is given too).
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        result["sessions"] = {}
        for username in USERS:
            user = User.objects.get(username=username)
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "core.backends.UserBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            result["sessions"][username] = session.session_key
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


DOCUMENT_PAGES = 4  # the action plan measured per page is grown to this many pages
DOCUMENT_RATIO_TARGET = 5.0  # a page of the action plan against a minimal one-page WeasyPrint document


def _documents(say) -> dict:
    """PDF rendering, measured in the same process: a minimal one-page WeasyPrint document, a 4-page action
    plan (time per page as a ratio to the minimal one), and a batch of real documents (per minute).

    Nothing is written: the documents are rendered in memory from the demo services, the action plan's
    activities are unsaved rows put in the prefetch cache until it fills the pages.
    """
    import datetime
    from decimal import Decimal

    from django.template.loader import render_to_string
    from django.utils import timezone, translation
    from weasyprint import HTML

    from assistance.models import Activity, Service
    from assistance.selectors import document_context
    from core.reports import html_to_pdf, render_document, render_pdf, report_kind

    repeat = _env_int("BENCH_DOC_REPEAT", 9)
    batch = _env_int("BENCH_DOCS", 100)
    translation.activate("es")
    services = list(
        Service.objects.select_related("company__district", "company__subsector", "centre", "promoter")
        .prefetch_related("consultants", "budget_lines", "funding_lines", "activities", "indicators", "company__people")
        .order_by("id")[:20]
    )
    if not services:
        return {"error": "no service in the demo data"}

    def timed_together(*fns) -> list[float]:
        """The median time of each, in turns, so that both sides of the ratio see the same machine."""
        for fn in fns:
            fn()  # warm-up: fonts, stylesheet, templates
        times = [[] for _ in fns]
        for _ in range(repeat):
            for fn, spent in zip(fns, times, strict=True):
                started = time.perf_counter()
                fn()
                spent.append((time.perf_counter() - started) * 1000)
        return [statistics.median(spent) for spent in times]

    def minimal():
        return HTML(string="<p>Hola</p>").write_pdf()

    service = services[0]
    base = {"generated_at": timezone.now(), "document_title": "Plan de acción", "centre": service.centre}

    def plan_html(count: int) -> str:
        start = datetime.date(2026, 1, 5)
        service._prefetched_objects_cache["activities"] = [
            Activity(
                service=service,
                description=f"Actividad {n}: capacitación en buenas prácticas de manufactura y registro de mermas",
                responsible="Consultor",
                planned_start=start + datetime.timedelta(days=n),
                planned_end=start + datetime.timedelta(days=n + 7),
                planned_hours=Decimal("4"),
                progress=n % 100,
            )
            for n in range(count)
        ]
        return render_to_string("assistance/pdf/action_plan.html", {**document_context(service), **base})

    def pages(count: int) -> int:
        return len(render_document(plan_html(count)).pages)

    # Grow the plan until it fills DOCUMENT_PAGES pages (untimed), then time it.
    count = 20
    while pages(count) < DOCUMENT_PAGES and count < 2000:
        count = int(count * 1.5)
    while count > 1 and pages(count - 5) == DOCUMENT_PAGES and pages(count) > DOCUMENT_PAGES:
        count -= 5
    while pages(count) > DOCUMENT_PAGES and count > 1:
        count -= 1
    html = plan_html(count)
    plan_pages = pages(count)
    minimal_ms, plan_ms = timed_together(minimal, lambda: html_to_pdf(html))
    per_page_ms = plan_ms / plan_pages
    service._prefetched_objects_cache.pop("activities", None)

    # A batch of real documents: the service documents of the demo services, in turn.
    kinds = [
        "assistance.expediente",
        "assistance.proposal",
        "assistance.action_plan",
        "assistance.technical_report",
        "assistance.evaluation",
    ]
    started = time.perf_counter()
    for n in range(batch):
        service = services[n % len(services)]
        kind = report_kind(kinds[n % len(kinds)])
        render_pdf(kind.template, {**kind.context(service), **base, "document_title": kind.title})
    batch_s = time.perf_counter() - started
    result = {
        "minimal_ms": round(minimal_ms, 1),
        "plan_activities": count,
        "plan_pages": plan_pages,
        "plan_ms": round(plan_ms, 1),
        "per_page_ms": round(per_page_ms, 1),
        "ratio": round(per_page_ms / minimal_ms, 2),
        "ratio_target": DOCUMENT_RATIO_TARGET,
        "batch": batch,
        "batch_s": round(batch_s, 1),
        "per_minute": round(batch * 60 / batch_s, 1),
    }
    say(
        f"documents: minimal {result['minimal_ms']} ms, action plan {plan_pages} pages in {result['plan_ms']} ms "
        f"({result['per_page_ms']} ms a page, {result['ratio']}x), {batch} documents in {result['batch_s']} s "
        f"({result['per_minute']} a minute)"
    )
    return result


def _documents_lines(documents: dict | None) -> list[str]:
    if not documents:
        return []
    if "error" in documents:
        return ["## Documents (PDF)", "", f"Not measured: {documents['error']}.", ""]
    verdict = "within" if documents["ratio"] <= documents["ratio_target"] else "over"
    return [
        "## Documents (PDF)",
        "",
        "WeasyPrint in the benchmark's process (one rendering at a time), median of the timed renderings:",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| minimal one-page document | {documents['minimal_ms']} ms |",
        f"| action plan, {documents['plan_pages']} pages ({documents['plan_activities']} activities) "
        f"| {documents['plan_ms']} ms |",
        f"| action plan, per page | {documents['per_page_ms']} ms |",
        f"| per page / minimal document | {documents['ratio']}x (target at most {documents['ratio_target']}x: "
        f"{verdict}) |",
        f"| batch of {documents['batch']} service documents | {documents['batch_s']} s, "
        f"{documents['per_minute']} documents a minute |",
        "",
    ]


def _time_sql(connection, captured: list[dict], repeat: int) -> tuple[float, int]:
    """The page's own SELECTs run again directly on the connection (the median of ``repeat`` runs, in ms):
    what the page costs the database, to hold the served time against."""
    statements = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    runs = []
    with connection.cursor() as cursor:
        for _ in range(max(3, repeat)):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            runs.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(runs), 1), len(statements)


# --- Parent process: both databases, the comparison and the report ----------------------------------


def _run_child(label: str, url: str, target: int, repeat: int, extra_env: dict | None = None) -> dict:
    out = RESULTS / f"raw-{label}.json"
    out.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",  # seed_demo needs it; it also keeps the development static files storage
        # In process, the dashboard is computed on every request: its SQL is what is measured and counted.
        "MONITORING_CACHE_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "cat_center.settings",
        **(extra_env or {}),
    }
    env.pop("BENCH_OWN_FILE", None)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///")).resolve()
        # A SQLite file of our own may be started afresh when it holds more companies than asked for.
        if RESULTS.resolve() in path.parents:
            env["BENCH_OWN_FILE"] = str(path)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", label, str(target), str(repeat), str(out)]
    completed = subprocess.run(command, env=env, cwd=ROOT, check=False)
    if completed.returncode != 0 or not out.exists():
        sys.exit(f"bench: the {label} run failed (exit status {completed.returncode}); see the output above")
    return json.loads(out.read_text(encoding="utf-8"))


def _developer_database_url() -> str:
    """The DATABASE_URL the project itself uses: the environment's, else the .env file's, else db.sqlite3."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    dotenv = ROOT / ".env"
    if dotenv.exists():
        for line in dotenv.read_text(encoding="utf-8").splitlines():
            name, _sep, value = line.strip().partition("=")
            if name.strip() == "DATABASE_URL" and value.strip():
                return value.strip().strip("'\"")
    return f"sqlite:///{ROOT / 'db.sqlite3'}"


def _same_database(a: str, b: str) -> bool:
    if a.startswith("sqlite:///") and b.startswith("sqlite:///"):
        return Path(a.removeprefix("sqlite:///")).resolve() == Path(b.removeprefix("sqlite:///")).resolve()
    return a.rstrip("/") == b.rstrip("/")


def _guard_developer_database(urls: list[str]) -> None:
    """The benchmark migrates and seeds its databases: never the one the developer works with."""
    developer = _developer_database_url()
    for url in urls:
        if _same_database(url, developer):
            sys.exit("bench: refusing to seed the development database; point BENCH_DATABASE_URL elsewhere")
    if _same_database(urls[0], urls[1]):
        sys.exit("bench: the small and the large database must be different")


def _compare(small: dict, large: dict, budget_ms: int) -> tuple[list[dict], list[str]]:
    failures = []
    small_rows = {(r["page"], r["user"]): r for r in small["rows"]}
    table = []
    for row in large["rows"]:
        key = (row["page"], row["user"])
        other = small_rows.get(key, {})
        line = {
            "page": row["page"],
            "user": row["user"],
            "url_name": row["url_name"],
            "url": row.get("url", ""),
            "status": row.get("status"),
            "rows_small": other.get("rows"),
            "rows_large": row.get("rows"),
            "queries_small": other.get("queries"),
            "queries_large": row.get("queries"),
            "median_ms_small": other.get("median_ms"),
            "median_ms": row.get("median_ms"),
            "p95_ms": row.get("p95_ms"),
            "problems": [],
        }
        table.append(line)
        where = f"{row['page']} as {row['user']}"
        error = row.get("error") or other.get("error")
        if error:
            line["problems"].append(error)
            failures.append(f"{where}: {error}")
            continue
        for name, run in (("small", other), ("large", row)):
            if run.get("status") != [200]:
                line["problems"].append(f"status {run.get('status')} ({name})")
                failures.append(f"{where}: answered {run.get('status')} on the {name} database")
            if len(run.get("queries") or []) != 1:
                line["problems"].append(f"query count varies ({name})")
                failures.append(f"{where}: the query count varies between requests on the {name} database")
        if 0 in (other.get("queries") or []) + (row.get("queries") or []):
            line["problems"].append("no queries captured")
            failures.append(f"{where}: no SQL query was captured, the count cannot be trusted")
        if other.get("queries") != row.get("queries"):
            line["problems"].append("query count grows with the data")
            failures.append(
                f"{where}: {other.get('queries')} queries with {small['companies']:,} companies, "
                f"{row.get('queries')} with {large['companies']:,}"
            )
        if row.get("median_ms") is not None and row["median_ms"] > budget_ms:
            line["problems"].append(f"median over {budget_ms} ms")
            failures.append(f"{where}: median {row['median_ms']} ms, over the budget of {budget_ms} ms")
    return table, failures


def _fmt_queries(value) -> str:
    if not value:
        return "-"
    return "/".join(str(v) for v in value)


def _fmt_rows(row: dict) -> str:
    if row["rows_small"] is None and row["rows_large"] is None:
        return "-"
    return f"{row['rows_small']} / {row['rows_large']}"


def _unproven(table: list[dict]) -> list[str]:
    """List views that showed as many rows on the small database as on the large one in every variant and for
    every user: for them equal query counts do not rule out a query per row (make the small database smaller)."""
    views: dict[str, bool] = {}
    for row in table:
        if row["rows_large"] is None:
            continue
        views[row["url_name"]] = views.get(row["url_name"], False) or row["rows_small"] != row["rows_large"]
    return [view for view, proven in views.items() if not proven]


def _markdown(config: dict, small: dict, large: dict, table: list[dict], failures: list[str]) -> str:
    lines = [
        "# Benchmark: client lists with many companies",
        "",
        f"- run: {time.strftime('%Y-%m-%d %H:%M:%S %Z')} on {platform.node()} "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()})",
        f"- large database: {large['vendor']}, {large['companies']:,} companies, {large['entrepreneurs']:,} "
        f"entrepreneurs, {large['needs']:,} needs"
        + (f"; seeded in {large['seed_s']} s" if large.get("seed_s") is not None else "; already seeded"),
        f"- small database: {small['vendor']}, {small['companies']:,} companies",
        f"- {config['repeat']} timed requests per page and user after one warm-up; budget for the median: "
        f"{config['budget_ms']} ms",
        f"- company detail: {large.get('detail_company')}",
        "",
        "Rows: the rows of the list page shown on the small / the large database. A page with fewer rows on the "
        "small database and the same number of queries runs no query per row.",
        "",
        "| page | user | status | rows | queries (small) | queries (large) | median small (ms) | median (ms) "
        "| p95 (ms) | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in table:
        verdict = "; ".join(row["problems"]) if row["problems"] else "ok"
        status = "/".join(str(s) for s in row["status"]) if row["status"] else "-"
        lines.append(
            f"| {row['page']} | {row['user']} | {status} | {_fmt_rows(row)} | {_fmt_queries(row['queries_small'])} | "
            f"{_fmt_queries(row['queries_large'])} | {row['median_ms_small'] or '-'} | {row['median_ms'] or '-'} | "
            f"{row['p95_ms'] or '-'} | {verdict} |"
        )
    lines.append("")
    unproven = _unproven(table)
    if unproven:
        lines += [
            "As many rows on both databases for every user (equal query counts do not rule out a query per row "
            f"there): {', '.join(unproven)}.",
            "",
        ]
    if failures:
        lines += ["## Failures", "", *[f"- {failure}" for failure in failures], ""]
    else:
        lines += ["Every page answered 200 with the same number of queries on both databases, within budget.", ""]
    return "\n".join(lines)


def _print_table(table: list[dict]) -> None:
    header = (
        f"{'page':<28} {'user':<12} {'status':<7} {'rows':>9} {'q small':>7} {'q large':>7} {'median':>9} {'p95':>9}"
        "  result"
    )
    print(header)
    print("-" * len(header))
    for row in table:
        status = "/".join(str(s) for s in row["status"]) if row["status"] else "-"
        median = f"{row['median_ms']} ms" if row["median_ms"] is not None else "-"
        p95 = f"{row['p95_ms']} ms" if row["p95_ms"] is not None else "-"
        verdict = "; ".join(row["problems"]) or "ok"
        if row["page"].endswith("(no cache)"):
            verdict = f"not checked ({verdict})"
        print(
            f"{row['page']:<28} {row['user']:<12} {status:<7} {_fmt_rows(row):>9} "
            f"{_fmt_queries(row['queries_small']):>7} {_fmt_queries(row['queries_large']):>7} {median:>9} {p95:>9}"
            f"  {verdict}"
        )


DETAIL_PAGES = {"home", "company detail", "expediente"}


def _served(config: dict, large: dict, secret_key: str) -> tuple[list[dict], list[str]]:
    """Every page as each served user, over HTTP from gunicorn with DEBUG off, against the large database.

    The dashboard keeps its numbers in a cache (monitoring/cache.py), so after the first request it is
    measured from the cache; it is measured again from a server without the cache ("no cache"): what the
    first manager to open a period after a change waits for.
    """
    import served

    rows, failures = [], []
    with served.serve(config["large_url"], secret_key, config["workers"]) as port:
        for username in config["served_users"]:
            pages = [r for r in large["rows"] if r["user"] == username and r.get("url")]
            _measure_served(config, large, port, username, pages, "", rows, failures)
    with served.serve(
        config["large_url"], secret_key, config["workers"], extra_env={"MONITORING_CACHE_SECONDS": "0"}
    ) as port:
        for username in config["served_users"]:
            pages = [r for r in large["rows"] if r["user"] == username and r["page"] in DASHBOARD_PAGES]
            # Reported beside the cached rows, not a pass/fail check: managers see the cached dashboard.
            _measure_served(config, large, port, username, pages, " (no cache)", rows, [])
    return rows, failures


def _measure_served(config, large, port, username, pages, suffix, rows, failures) -> None:
    import served

    session = large["sessions"][username]
    for page in pages:
        result = served.measure(port, page["url"], session, clients=config["clients"], seconds=config["seconds"])
        budget = config["detail_p95_ms"] if page["page"] in DETAIL_PAGES else config["list_p95_ms"]
        if page["page"] in DASHBOARD_PAGES:
            budget = config["dashboard_p95_ms"]
        queries = max(page.get("queries") or [0])
        sql_ms = page.get("sql_ms")
        row = {
            "page": page["page"] + suffix,
            "user": username,
            "url": page["url"],
            "queries": queries,
            "sql_ms": sql_ms,
            "budget_ms": budget,
            **result,
            "problems": [],
        }
        row["ratio"] = round(row["p50_ms"] / sql_ms, 1) if sql_ms else None
        where = f"{row['page']} as {username} (served)"
        if result["status"] != [200]:
            row["problems"].append(f"status {result['status']}")
        if result["p95_ms"] > budget:
            row["problems"].append(f"p95 over {budget} ms")
        # The dashboard runs its panels' aggregates (about twenty, the same with any data).
        most = config["dashboard_max_queries"] if page["page"] in DASHBOARD_PAGES else config["max_queries"]
        if queries > most:
            row["problems"].append(f"over {most} queries")
        if sql_ms is not None and row["p50_ms"] > config["sql_ratio"] * sql_ms + config["render_ms"]:
            row["problems"].append(f"p50 over {config['sql_ratio']}x its SQL + {config['render_ms']} ms")
        failures += [f"{where}: {problem}" for problem in row["problems"]]
        rows.append(row)
        row["load"] = round(os.getloadavg()[0], 1)
        print(
            f"bench [served] {username:<12} {row['page']:<28} {result['status']} p50 {row['p50_ms']} ms "
            f"p95 {row['p95_ms']} ms, {row['rps']} req/s, SQL {sql_ms} ms",
            flush=True,
        )


def _served_markdown(config: dict, rows: list[dict]) -> list[str]:
    lines = [
        "",
        f"## Served: gunicorn ({config['workers']} workers, DEBUG off) on loopback, {config['clients']} concurrent "
        f"clients for {config['seconds']} s per page",
        "",
        f"Targets: p95 under {config['list_p95_ms']} ms for lists and searches, under {config['detail_p95_ms']} ms for "
        f"detail pages, under {config['dashboard_p95_ms']} ms for the managers' dashboard (its SQL: the aggregates "
        f"of its panels); at most {config['max_queries']} queries ({config['dashboard_max_queries']} for the "
        f"dashboard); p50 within {config['sql_ratio']}x the page's own "
        f"SQL + {config['render_ms']} ms of rendering (SQL ms: the page's SELECTs re-run directly on one "
        "connection, median; p50 / SQL: the plain ratio).",
        "",
        "The machine's 1-minute load average after each page is in bench.json (other work on the machine shows "
        f"there); it ranged {min(r['load'] for r in rows)}-{max(r['load'] for r in rows)} on {os.cpu_count()} CPUs.",
        "",
        "| page | user | queries | SQL (ms) | p50 (ms) | p95 (ms) | req/s | p50 / SQL | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        verdict = "; ".join(row["problems"]) or "ok"
        if row["page"].endswith("(no cache)"):
            verdict = f"not checked ({verdict})"
        lines.append(
            f"| {row['page']} | {row['user']} | {row['queries']} | {row['sql_ms']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['rps']} | {row['ratio']} | {verdict} |"
        )
    return lines


def _load(config: dict, secret_key: str) -> dict | None:
    """The Locust load test (bench/load.py) against a gunicorn of its own on the large database."""
    import load
    import served

    knobs = load.knobs()
    if not knobs["seconds"]:
        print("bench [load] BENCH_LOAD_SECONDS=0: no load run", flush=True)
        return None
    with served.serve(config["large_url"], secret_key, knobs["workers"]) as port:
        result = load.run(
            host=f"http://127.0.0.1:{port}",
            out_dir=RESULTS / "load",
            users=knobs["users"],
            spawn_rate=knobs["spawn_rate"],
            seconds=knobs["seconds"],
        )
    result["workers"] = knobs["workers"]
    return result


def _read(path: str, prefix: str) -> str:
    """The first line of ``path`` that starts with ``prefix``, without it ("" when there is none)."""
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith(prefix):
                return line.removeprefix(prefix).strip(" :\t")
    except OSError:
        pass
    return ""


def _database_version(config: dict) -> str:
    if not config["postgres"]:
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    try:
        from contextlib import closing

        import psycopg2

        with closing(psycopg2.connect(config["large_url"])) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    except Exception as error:  # the report is written all the same
        return f"PostgreSQL (version unknown: {error.__class__.__name__})"


def _machine() -> str:
    memory = _read("/proc/meminfo", "MemTotal")
    memory_gb = f", {int(memory.split()[0]) / 1024 / 1024:.0f} GB RAM" if memory else ""
    model = _read("/proc/cpuinfo", "model name")
    return (
        f"{os.cpu_count()} CPUs{f' ({model})' if model else ''}{memory_gb}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def _results_markdown(config: dict, large: dict, markdown: str, load_result: dict | None, failures: list) -> str:
    """bench/results.md: when, on what and at what scale, then the whole report one heading level down."""
    scale = f"{large['companies']:,} companies in the large database ({large['target']:,} asked for)"
    if large["target"] < 100_000:
        scale += "; a smaller run than the 100,000 companies the figures are meant for"
    lines = [
        "# Benchmark and load results",
        "",
        "Written by `make bench` (`bench/run.py`; the load test: `bench/load.py` and `bench/locustfile.py`). "
        "Run it again rather than editing this file.",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- scale: {scale}",
        f"- machine: {_machine()}; 1-minute load average when written: {os.getloadavg()[0]:.1f} (other work on "
        "the machine slows every figure)",
        f"- database: {_database_version(config)}",
        f"- result: {f'FAILED, {len(failures)} failures (listed below)' if failures else 'passed'}",
        "",
    ]
    if not config["postgres"]:
        lines += [
            "SQLite, in-process only: the served measurement and the Locust load run need PostgreSQL "
            "(`BENCH_POSTGRES=1 make bench`).",
            "",
        ]
    elif load_result is None:
        lines += ["No load run (`BENCH_LOAD_SECONDS=0`).", ""]
    body = "\n".join(f"#{line}" if line.startswith("#") else line for line in markdown.splitlines())
    return "\n".join(lines) + "\n" + body.rstrip() + "\n"


def _run(config: dict) -> int:
    started = time.monotonic()
    secret_key = secrets.token_urlsafe(50)
    served_env = {"SECRET_KEY": secret_key, "BENCH_TIME_SQL": "1"} if config["postgres"] else None
    small = _run_child("small", config["small_url"], config["small"], config["repeat"], {"BENCH_NO_HISTORY": "1"})
    large = _run_child("large", config["large_url"], config["companies"], config["repeat"], served_env)
    table, failures = _compare(small, large, config["budget_ms"])
    served_rows: list[dict] = []
    load_result = None
    if config["postgres"]:
        served_rows, served_failures = _served(config, large, secret_key)
        failures += served_failures
        load_result = _load(config, secret_key)
        if load_result is not None:
            import load

            failures += load.problems(load_result)
    report = {
        "config": {k: v for k, v in config.items() if not k.endswith("_url")},
        "databases": {
            run["label"]: {k: v for k, v in run.items() if k not in ("rows", "sessions")} for run in (small, large)
        },
        "pages": table,
        "documents": small.get("documents"),
        "served": served_rows,
        "load": load_result,
        "failures": failures,
        "total_s": round(time.monotonic() - started, 1),
    }
    markdown = _markdown(config, small, large, table, failures)
    markdown += "\n".join(_documents_lines(small.get("documents")))
    if served_rows:
        markdown += "\n".join(_served_markdown(config, served_rows)) + "\n"
    if load_result is not None:
        import load

        markdown += "\n" + "\n".join(load.markdown(load_result, load_result["workers"]))
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    (RESULTS / "bench.md").write_text(markdown, encoding="utf-8")
    RESULTS_MD.write_text(_results_markdown(config, large, markdown, load_result, failures), encoding="utf-8")
    print()
    _print_table(table)
    if small.get("documents"):
        print("\n" + "\n".join(_documents_lines(small["documents"])))
    if served_rows:
        print("\n".join(_served_markdown(config, served_rows)))
    if load_result is not None:
        import load

        print("\n" + "\n".join(load.markdown(load_result, load_result["workers"])))
    unproven = _unproven(table)
    if unproven:
        print(f"\nnote: as many rows on both databases for every user, so a query per row is not ruled out: {unproven}")
    print(
        f"\nbench: {report['total_s']} s in all; report in {RESULTS_MD.relative_to(ROOT)}, "
        f"{RESULTS / 'bench.md'} and bench.json"
    )
    if failures:
        print("\nbench: FAILED")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("bench: every page ran the same number of queries on both databases, within budget")
    return 0


def main() -> int:
    # Stopped with SIGTERM, unwind as for Ctrl-C: gunicorn and the throw-away cluster are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    config = _config()
    RESULTS.mkdir(exist_ok=True)
    if config["throwaway"]:
        import served

        with served.postgres_cluster(["cat_bench", "cat_bench_small"]) as urls:
            config["large_url"], config["small_url"] = urls["cat_bench"], urls["cat_bench_small"]
            return _run(config)
    _guard_developer_database([config["large_url"], config["small_url"]])
    return _run(config)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
    else:
        sys.exit(main())
