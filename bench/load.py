"""The load test of `make bench`'s PostgreSQL mode: Locust, headless, against gunicorn on loopback.

``run()`` starts Locust in a child process with the scenario of ``bench/locustfile.py`` (promoters, the front
desk, a consultant and the managers signing in and working as on a busy day), bounded in users and time, and
with a hard timeout of its own, so that it always stops by itself. It reads Locust's CSV statistics back:
requests, failures, p50, p95 and requests per second per page. ``problems()`` is the pass/fail rule: every
request must succeed, and the scenario must neither raise nor run no request at all.

Environment knobs (read by ``knobs()``):

    BENCH_LOAD_USERS       simulated people at once (12)
    BENCH_LOAD_SPAWN_RATE  people starting per second (4)
    BENCH_LOAD_SECONDS     how long the load runs, in seconds (45; 0 leaves the load run out)
    BENCH_LOAD_WORKERS     gunicorn workers serving it (3)

The helpers here (CSV parsing, the failure rule, reading a form as a browser would submit it) import neither
Locust nor Django: the test suite checks them without a server (tests/test_bench_load.py).
"""

import csv
import io
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
STOP_TIMEOUT_S = 10  # a person in the middle of a page finishes it; then Locust stops them
STARTUP_S = 60  # the hard timeout's allowance for Locust's start and for writing its files
DEFAULT_PASSWORD = "cat-demo-2026"  # noqa: S105 - the demo users' published password (README), loopback only


def env_int(env: dict, name: str, default: int) -> int:
    """A whole-number knob of ``env`` (underscores allowed: 100_000), else ``default``; exits on anything else."""
    value = (env.get(name) or "").strip()
    if not value:
        return default
    try:
        return int(value.replace("_", ""))
    except ValueError:
        sys.exit(f"bench: {name} must be a whole number, not {value!r}")


def knobs(env: dict | None = None) -> dict:
    env = os.environ if env is None else env
    return {
        "users": max(1, env_int(env, "BENCH_LOAD_USERS", 12)),
        "spawn_rate": max(1, env_int(env, "BENCH_LOAD_SPAWN_RATE", 4)),
        "seconds": max(0, env_int(env, "BENCH_LOAD_SECONDS", 45)),
        "workers": max(1, env_int(env, "BENCH_LOAD_WORKERS", 3)),
    }


# --- Reading Locust's CSV files --------------------------------------------------------------------


def _number(value: str) -> float | None:
    value = (value or "").strip()
    if not value or value == "N/A":
        return None
    return float(value)


def _ms(value: str) -> float | None:
    number = _number(value)
    return None if number is None else round(number, 1)


def parse_stats(text: str) -> tuple[list[dict], dict | None]:
    """Locust's ``*_stats.csv``: one row per page (request name and method), then the "Aggregated" total.

    Returns (rows, total), each as {page, method, requests, failures, p50, p95, rps}; times in ms.
    """
    rows, total = [], None
    for record in csv.DictReader(io.StringIO(text)):
        row = {
            "page": record["Name"],
            "method": record.get("Type") or "",
            "requests": int(record["Request Count"]),
            "failures": int(record["Failure Count"]),
            "p50": _ms(record.get("50%", "")),
            "p95": _ms(record.get("95%", "")),
            "rps": round(_number(record.get("Requests/s", "")) or 0.0, 2),
        }
        if record["Name"] == "Aggregated" and not row["method"]:
            total = row
        else:
            rows.append(row)
    return rows, total


def parse_failures(text: str) -> list[dict]:
    """Locust's ``*_failures.csv``: {method, page, error, occurrences} per distinct error."""
    return [
        {
            "method": record["Method"],
            "page": record["Name"],
            "error": record["Error"],
            "occurrences": int(record["Occurrences"]),
        }
        for record in csv.DictReader(io.StringIO(text))
    ]


def parse_exceptions(text: str) -> list[dict]:
    """Locust's ``*_exceptions.csv``: errors raised by the scenario's own code, {count, message}."""
    return [
        {"count": int(record["Count"]), "message": record["Message"]} for record in csv.DictReader(io.StringIO(text))
    ]


def problems(result: dict) -> list[str]:
    """The load run passes when it ran requests and none of them failed, and the scenario raised nothing."""
    found = []
    if result.get("error"):
        return [f"load: {result['error']}"]
    total = result.get("total")
    if total is None:
        return [f"load: Locust wrote no statistics (exit status {result.get('returncode')})"]
    if total["requests"] == 0:
        found.append("load: no request was made")
    for row in result.get("rows", []):
        if row["failures"]:
            errors = "; ".join(
                f"{f['error']} ({f['occurrences']}x)" for f in result.get("failures", []) if f["page"] == row["page"]
            )
            found.append(
                f"load: {row['failures']} of {row['requests']} requests to {row['page']} failed"
                + (f": {errors}" if errors else "")
            )
    if total["failures"] and not any(row["failures"] for row in result.get("rows", [])):
        found.append(f"load: {total['failures']} of {total['requests']} requests failed")
    for exception in result.get("exceptions", []):
        found.append(f"load: the scenario raised {exception['message']} ({exception['count']}x)")
    if result.get("returncode") not in (0, None) and not found:
        found.append(f"load: Locust exited with status {result['returncode']}")
    return found


# --- Running Locust --------------------------------------------------------------------------------


def command(*, host: str, csv_prefix: Path, users: int, spawn_rate: int, seconds: int) -> list[str]:
    return [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", host,
        "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s",
        "--stop-timeout", str(STOP_TIMEOUT_S), "--csv", str(csv_prefix), "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip


def hard_timeout(seconds: int) -> int:
    """Past this, the Locust process is killed whatever it is doing."""
    return seconds + STOP_TIMEOUT_S + STARTUP_S


def run(*, host: str, out_dir: Path, users: int, spawn_rate: int, seconds: int, password: str = "") -> dict:
    """Locust against ``host`` (a loopback URL) for ``seconds``: the parsed statistics and Locust's exit status."""
    if not host.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError(f"the load test runs on loopback only, not against {host}")
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / "locust"
    for old in out_dir.glob("locust_*.csv"):
        old.unlink()
    result = {"users": users, "spawn_rate": spawn_rate, "seconds": seconds, "host": host}
    env = {**os.environ, "BENCH_LOAD_PASSWORD": password or os.environ.get("BENCH_LOAD_PASSWORD", DEFAULT_PASSWORD)}
    cmd = command(host=host, csv_prefix=prefix, users=users, spawn_rate=spawn_rate, seconds=seconds)
    print(f"bench [load] locust: {users} people, {spawn_rate}/s starting, {seconds} s against {host}", flush=True)
    try:
        completed = subprocess.run(cmd, env=env, cwd=LOCUSTFILE.parent.parent, timeout=hard_timeout(seconds))
    except FileNotFoundError as error:
        return {**result, "error": f"cannot start Locust ({error})"}
    except subprocess.TimeoutExpired:
        return {**result, "error": f"Locust did not stop within {hard_timeout(seconds)} s and was killed"}
    result["returncode"] = completed.returncode
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        if completed.returncode != 0:
            result["error"] = (
                f"Locust exited with status {completed.returncode} and wrote no statistics "
                "(is it installed? .venv/bin/pip install -r requirements-dev.txt)"
            )
        return result
    result["rows"], result["total"] = parse_stats(stats.read_text(encoding="utf-8"))
    failures = Path(f"{prefix}_failures.csv")
    result["failures"] = parse_failures(failures.read_text(encoding="utf-8")) if failures.exists() else []
    exceptions = Path(f"{prefix}_exceptions.csv")
    result["exceptions"] = parse_exceptions(exceptions.read_text(encoding="utf-8")) if exceptions.exists() else []
    return result


def _fmt(ms: float | None) -> str:
    if ms is None:
        return "-"
    return str(int(ms)) if float(ms).is_integer() else str(ms)


def markdown(result: dict, workers: int) -> list[str]:
    """The "Load (Locust)" section of bench/results.md."""
    lines = [
        "## Load (Locust)",
        "",
        f"Locust, headless, on loopback: {result['users']} simulated people at once (starting {result['spawn_rate']} "
        f"a second) for {result['seconds']} s against gunicorn ({workers} workers, DEBUG off) on the large database; "
        "promoters and the front desk weigh most, then a consultant, a coordinator and the national manager. Each "
        "signs in through the login page and waits 0.5-2 s between pages; the front desk logs consultations "
        "through the real form. Times in ms (Locust rounds them above 100 ms).",
        "",
    ]
    if result.get("error") or result.get("total") is None:
        return [*lines, f"Not measured: {result.get('error') or 'Locust wrote no statistics'}.", ""]
    total = result["total"]
    lines += [
        f"- requests: {total['requests']:,}",
        f"- errors: {total['failures']}",
        f"- throughput: {total['rps']} requests a second; over all pages (sign-in included: it hashes the "
        f"password) p50 {_fmt(total['p50'])} ms, p95 {_fmt(total['p95'])} ms",
        "",
        "| page | method | requests | errors | p50 (ms) | p95 (ms) | req/s |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['page']} | {row['method']} | {row['requests']:,} | {row['failures']} | {_fmt(row['p50'])} | "
            f"{_fmt(row['p95'])} | {row['rps']} |"
        )
    found = problems(result)
    lines += ["", *([f"- {p}" for p in found] if found else ["No request failed."]), ""]
    return lines


# --- What the scenario reads from pages ------------------------------------------------------------


class _Forms(HTMLParser):
    """Each form of a page as a browser submits it untouched: its inputs' values, each select's selected
    option (or its first, as browsers do; none for a multiple select), its textareas' text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and attrs.get("name") and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "image", "reset", "file"):
                fields.append((attrs["name"], attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "first": None, "selected": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["selected"].append(value)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            fields.append((attrs["name"], ""))

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            name, text = self._form["fields"][-1]
            self._form["fields"][-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._form["fields"][-1]
            # The HTML parser keeps the newline that follows <textarea>; a browser drops it.
            self._form["fields"][-1] = (name, text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            select = self._select
            chosen = select["selected"] or ([] if select["multiple"] or select["first"] is None else [select["first"]])
            self._form["fields"] += [(select["name"], value) for value in chosen]
            self._select = None


def form_fields(html: str, *, form_id: str = "", with_field: str = "") -> dict[str, list[str]] | None:
    """The fields of the page's form with that id (or the first one holding a field of that name), as the
    browser would send them: {name: [values]}. None when the page holds no such form."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        names = [name for name, _value in form["fields"]]
        if (form_id and form["attrs"].get("id") == form_id) or (with_field and with_field in names):
            fields: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                fields.setdefault(name, []).append(value)
            return fields
    return None


def linked_ids(html: str, prefix: str) -> list[int]:
    """The record ids a page links to under ``prefix`` (e.g. "/clients/companies/"), in page order, once each."""
    found = re.findall(r'href="' + re.escape(prefix) + r'(\d+)/"', html)
    return list(dict.fromkeys(int(pk) for pk in found))


def form_errors(html: str) -> list[str]:
    """The messages of a form the server sent back refused: its fields' errors and the form's own."""
    found = re.findall(r'class="invalid-feedback"[^>]*>.*?<strong>([^<]+)</strong>', html, re.S)
    found += re.findall(r'class="alert alert-block alert-danger"[^>]*>.*?<li>([^<]+)</li>', html, re.S)
    return [" ".join(message.split()) for message in found if message.strip()]
