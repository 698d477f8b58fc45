"""`make reliability`: the three fault scenarios of production, run for real (CI runs it after the tests).

Everything is its own and thrown away at the end: a PostgreSQL 15 cluster and gunicorn with DEBUG off
(bench/served.py), a redis-server, and real `celery -A cat_center worker` processes, all on free
loopback ports, with a small demo (`seed_demo --no-history`). Then:

1. Worker killed mid-task. A PDF job (assistance's service file, through the real task and template)
   is held at a gate inside the rendering (reliability/apps.py) and its worker is killed with SIGKILL:
   (a) the pool process only: the message goes back to the queue (reject_on_worker_lost) and the
   same worker renders it again; (b) the whole worker: the message stays unacknowledged in Redis and
   a new worker gets it back after the visibility timeout (shortened to a few seconds here with
   CELERY_VISIBILITY_TIMEOUT). Each job must end `done` with exactly one file, a PDF, after 2 attempts.
2. Redis down. With Redis stopped, a signed-in user opens a list, asks for a PDF (answered at once,
   the job left queued) and saves a form. Redis comes back; beat's sweep (sent through the broker as
   beat sends it) enqueues the job again and the worker renders it; the daily reminders run too.
3. PostgreSQL restarted. Two clients loop over a list page and a form that opens a service (a row,
   its code written by a second statement, a stage-change row) while the server is stopped (-m fast),
   kept down 3 s and started again. Every answer must come within a bound: a 5xx during the outage,
   the real page otherwise (never a 200 error page); every request must succeed again within a few
   seconds of the restart; and every service in the database must be whole, every 302 one of them.
   Then a quick restart while nobody asks: the first requests after it must all succeed (each gunicorn
   process kept a connection, now dead, which CONN_HEALTH_CHECKS notices before reuse).

gunicorn, the workers and this script run with reliability/settings.py: production's settings plus
the gated document kind of scenario 1, with static files hashed but not compressed (faster to collect).

Each scenario prints PASS or FAIL with what it measured; the exit status is 1 if any failed, 2 if
redis-server is not installed. Nothing here can hang: every wait is bounded, and the whole run is
stopped after RELIABILITY_TIME_LIMIT seconds (420), servers and workers stopped on the way out.
"""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from served import PG_BIN, _as_postgres, free_port, postgres_cluster, serve  # noqa: E402

TIME_LIMIT = int(os.environ.get("RELIABILITY_TIME_LIMIT", "420"))
# The workers' Redis visibility timeout: how long an unacknowledged message of a dead worker waits.
VISIBILITY_TIMEOUT = 6
REQUEST_TIMEOUT = 15  # no answer within this is a hang
PROMPT = 10.0  # seconds: the most an answer may take, failure or not
USER = "coordinador"  # a demo user (core.demo), signed in with the demo password
SERVICE_LIST = "/assistance/services/"
SERVICE_OPEN = "/assistance/services/new/"
# gunicorn, the workers and this script: production's settings with the reliability app (see there).
SETTINGS = "reliability.settings"


class Failure(Exception):
    """A check did not hold: the scenario fails with this message."""


def say(message: str) -> None:
    print(f"reliability: {message}", flush=True)


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise Failure(f"{what}: not within {timeout:.0f} s")


def tail(path: Path, lines: int = 25) -> str:
    if not path.exists():
        return f"({path.name}: no file)"
    text = path.read_text(errors="replace").splitlines()[-lines:]
    return f"--- last lines of {path.name}:\n" + "\n".join(text)


# --- Servers ------------------------------------------------------------------------------------------


class Redis:
    """A redis-server of our own on a free loopback port, nothing kept on disk; stopped and started at will."""

    def __init__(self, work: Path, executable: str):
        self.port = free_port()
        self.work = work
        self.executable = executable
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.executable, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.work), "--logfile", str(self.work / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.ping, 15, "redis-server answers PING")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def command(self, *args: str) -> bytes:
        """One command in Redis's protocol; the raw answer."""
        request = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as connection:
            connection.sendall(request.encode())
            return connection.recv(4096)

    def ping(self) -> bool:
        try:
            return self.command("PING").startswith(b"+PONG")
        except OSError:
            return False


class Worker:
    """A real `celery -A cat_center worker` (prefork, one pool process) in its own process group."""

    def __init__(self, name: str, env: dict, work: Path):
        self.name = name
        self.env = env
        self.log_path = work / f"worker-{name}.log"
        self.process = None

    def start(self) -> "Worker":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "celery"), "-A", "cat_center", "worker", "--pool=prefork", "--concurrency=1",
                 "--hostname", f"{self.name}@127.0.0.1", "--without-mingle", "--without-gossip", "--loglevel=INFO"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_for(lambda: b" ready." in self.log_path.read_bytes(), 60, f"worker {self.name} ready")
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the worker and its pool processes: the machine it ran on stopped."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# --- A browser, enough of one ---------------------------------------------------------------------------


class Answer:
    def __init__(self, status: int, location: str, body: bytes, seconds: float):
        self.status, self.location, self.body, self.seconds = status, location, body, seconds

    def __repr__(self) -> str:
        return f"{self.status} in {self.seconds:.2f} s"


class Client:
    """Cookies, CSRF and forms over http.client, against the gunicorn of this run."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
            return Answer(response.status, response.getheader("Location", ""), content, time.monotonic() - started)
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Answer:
        return self.request("POST", path, data)


def sign_in(port: int) -> Client:
    from core.demo import DEMO_PASSWORD

    client = Client(port)
    client.get("/accounts/login/")
    answer = client.post("/accounts/login/", {"username": USER, "password": DEMO_PASSWORD})
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise Failure(f"signing in as {USER} answered {answer}")
    return client


def is_list_page(answer: Answer) -> bool:
    """The real list of services, not an error page that happens to say 200."""
    return answer.status == 200 and SERVICE_OPEN.encode() in answer.body and b"</html>" in answer.body


# --- The run ----------------------------------------------------------------------------------------------


class Run:
    def __init__(self, work: Path, port: int, redis: Redis, database_url: str, worker_env: dict):
        self.work, self.port, self.redis, self.database_url = work, port, redis, database_url
        self.worker_env = worker_env
        self.workers: list[Worker] = []
        self.gate = work / "gate"
        self.gate.mkdir()
        self.media = Path(worker_env["MEDIA_ROOT"])

    def worker(self, name: str) -> Worker:
        worker = Worker(name, self.worker_env, self.work)
        self.workers.append(worker)
        return worker.start()

    def stop_workers(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(Exception):
                worker.stop()

    def logs(self) -> str:
        paths = [w.log_path for w in self.workers] + [self.work / "gunicorn.log"]
        return "\n".join(tail(p) for p in paths)

    # The demo's records the scenarios use.
    def user(self):
        from core.models import User

        return User.objects.get(username=USER)

    def service(self):
        from assistance.selectors import service_list

        return service_list(user=self.user()).order_by("pk").first()

    def open_form(self) -> dict:
        from assistance.models import ServiceType
        from clients.selectors import company_list

        return {
            "company": company_list(user=self.user()).order_by("pk").values_list("pk", flat=True).first(),
            "service_type": ServiceType.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[0],
            "area": "production",
        }

    def files_of(self, job) -> list[Path]:
        return sorted(p for p in self.media.glob(f"reports/*/*/{job.pk}/*") if p.is_file())

    def check_done_once(self, job, attempts: int) -> str:
        job.refresh_from_db()
        files = self.files_of(job)
        if job.status != "done":
            raise Failure(f"job {job.pk} is {job.status} ({job.error!r})")
        if job.attempts != attempts:
            raise Failure(f"job {job.pk} took {job.attempts} attempts, expected {attempts}")
        if len(files) != 1 or not files[0].read_bytes().startswith(b"%PDF") or job.file.path != str(files[0]):
            raise Failure(f"job {job.pk}: files {[p.name for p in files]} for {job.file.name!r}")
        return f"done, attempts={job.attempts}, 1 file ({files[0].name}, {files[0].stat().st_size} bytes)"

    def reached(self) -> list[int]:
        return [int(p.read_text()) for p in sorted(self.gate.glob("reached-*"))]

    def request_gated(self):
        from core.reports import report_request
        from reliability.apps import GATED_KIND

        for path in self.gate.glob("reached-*"):
            path.unlink()
        (self.gate / "hold").touch()
        return report_request(user=self.user(), kind=GATED_KIND, object_id=self.service().pk)  # sent on commit

    def wait_finished(self, job, timeout: float) -> None:
        def finished():
            job.refresh_from_db()
            return job.status in ("done", "failed")

        wait_for(finished, timeout, f"job {job.pk} done", interval=0.25)


def scenario_worker_killed(run: Run) -> str:
    from core.models import ReportJob

    first = run.worker("w1")

    # (a) The pool process dies mid-render; the worker itself lives.
    job = run.request_gated()
    pid = wait_for(run.reached, 60, "the rendering reaches its gate")[0]
    job.refresh_from_db()
    if (job.status, job.attempts) != (ReportJob.Status.RUNNING, 1):
        raise Failure(f"held at the gate, the job is {job.status} after {job.attempts} attempts")
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    (run.gate / "hold").unlink()
    run.wait_finished(job, 60)
    again = time.monotonic() - killed
    pool = run.check_done_once(job, attempts=2)
    if len(run.reached()) != 2 or not first.alive():
        raise Failure(f"the rendering ran {len(run.reached())} times; worker alive: {first.alive()}")
    part_a = f"pool process {pid} killed mid-render -> rendered again {again:.1f} s later by the same worker, {pool}"

    # (b) The whole worker dies mid-render; a new one is started.
    job = run.request_gated()
    wait_for(run.reached, 60, "the rendering reaches its gate")
    taken = time.time()
    first.kill()
    unacked = run.redis.command("HLEN", "unacked").strip()
    if unacked != b":1":
        raise Failure(f"after the worker died Redis holds {unacked!r} unacknowledged messages, expected :1")
    (run.gate / "hold").unlink()
    # A new worker gives back, as it starts, the messages unacknowledged for longer than the timeout.
    time.sleep(max(0.0, taken + VISIBILITY_TIMEOUT + 1 - time.time()))
    started = time.monotonic()
    run.worker("w2")
    run.wait_finished(job, 60)
    whole = run.check_done_once(job, attempts=2)
    part_b = (
        f"whole worker killed (1 message left unacked in Redis) -> new worker rendered it "
        f"{time.monotonic() - started:.1f} s after starting, {whole}"
    )
    return f"(a) {part_a}; (b) {part_b}"


def scenario_redis_down(run: Run) -> str:
    from assistance.models import Service
    from core.models import ReportJob
    from core.tasks import requeue_stale_reports, send_reminders

    if not any(w.alive() for w in run.workers):
        run.worker("w3")
    client = sign_in(run.port)
    service = run.service()
    run.redis.stop()
    if run.redis.ping():
        raise Failure("Redis still answers after being stopped")

    page = client.get(SERVICE_LIST)
    asked = client.post(f"/reports/assistance.expediente/{service.pk}/request/", {})
    match = re.fullmatch(r"/reports/([0-9a-f-]{36})/", asked.location)
    title = f"rel-redis-{secrets.token_hex(3)}"
    saved = client.post(SERVICE_OPEN, {**run.open_form(), "title": title})
    answers = {"list": page, "PDF request": asked, "form save": saved}
    slow = {name: a for name, a in answers.items() if a.seconds > PROMPT}
    if not is_list_page(page) or asked.status != 302 or not match or saved.status != 302 or slow:
        raise Failure(f"with Redis down: {answers} (PDF request to {asked.location!r})")
    status_page = client.get(asked.location)
    job = ReportJob.objects.get(pk=match.group(1))
    opened = Service.objects.filter(title=title).first()
    if status_page.status != 200 or job.status != "queued" or job.attempts != 0 or opened is None:
        raise Failure(f"status page {status_page}, job {job.status}/{job.attempts}, service saved: {bool(opened)}")

    run.redis.start()
    back = time.monotonic()
    # The sweep takes jobs queued for 2 minutes (their own enqueue may still be on its way): this one
    # was asked for while Redis was down, so it is made 5 minutes old, as it would be at beat's next turn.
    ReportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(minutes=5))
    swept = requeue_stale_reports.delay().get(timeout=60)  # through the broker, to the worker, as beat does
    run.wait_finished(job, 90)
    rendered = time.monotonic() - back
    done = run.check_done_once(job, attempts=1)
    reminders = send_reminders.delay().get(timeout=60)
    return (
        f"Redis down: list {page}, PDF request {asked} (job queued), form save {saved}; "
        f"Redis back: sweep re-sent {swept} job(s), PDF {done} {rendered:.1f} s after Redis came back; "
        f"reminders run by the worker: {reminders}"
    )


def scenario_postgres_restart(run: Run) -> str:
    from django.db import connection, connections
    from django.db.models import Count

    from assistance.models import Service, StageChange

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('data_directory'), current_setting('port')")
        data_directory, pg_port = cursor.fetchone()
    connections.close_all()
    reader = sign_in(run.port)
    writer = Client(run.port, reader.cookies)
    form = run.open_form()
    results: list[tuple[str, float, Answer | Exception, str]] = []  # kind, started, answer, title
    stop = threading.Event()

    def loop(kind: str, client: Client) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            title = f"rel-pg-{kind}-{n}"
            started = time.monotonic()
            try:
                if kind == "get":
                    answer = client.get(SERVICE_LIST)
                else:
                    answer = client.post(SERVICE_OPEN, {**form, "title": title})
            except Exception as error:  # a hang (timeout) or a dropped connection: both fail the check
                answer = error
            results.append((kind, started, answer, title))
            time.sleep(0.05)

    clients = (("get", reader), ("post", writer))
    threads = [threading.Thread(target=loop, args=(kind, client)) for kind, client in clients]
    pg_ctl = str(PG_BIN / "pg_ctl")
    options = f"-p {pg_port} -k {Path(data_directory).parent} -c listen_addresses=127.0.0.1 -c fsync=off"
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        down = time.monotonic()
        subprocess.run(
            _as_postgres([pg_ctl, "-D", data_directory, "-m", "fast", "-w", "-t", "30", "stop"]),
            check=True, stdout=subprocess.DEVNULL, timeout=60,
        )  # fmt: skip
        time.sleep(3)
        subprocess.run(
            _as_postgres([pg_ctl, "-D", data_directory, "-l", str(Path(data_directory).parent / "server.log"),
                          "-w", "-t", "30", "-o", options, "start"]),
            check=True, stdout=subprocess.DEVNULL, timeout=60,
        )  # fmt: skip
        up = time.monotonic()
        time.sleep(8)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)

    def ok(kind: str, answer) -> bool:
        if kind == "get":
            return isinstance(answer, Answer) and is_list_page(answer)
        return isinstance(answer, Answer) and answer.status == 302 and answer.location.startswith(SERVICE_LIST)

    # A restart while nobody asks: each gunicorn process keeps its connection (CONN_MAX_AGE), now dead.
    # The health check before reuse must notice, so that the very first requests after it succeed.
    def quiet_get() -> str:
        try:
            answer = reader.get(SERVICE_LIST)
        except Exception as error:
            return type(error).__name__
        return "ok" if is_list_page(answer) else str(answer.status)

    before = [quiet_get() for _ in range(6)]
    subprocess.run(
        _as_postgres([pg_ctl, "-D", data_directory, "-l", str(Path(data_directory).parent / "server.log"),
                      "-m", "fast", "-w", "-t", "30", "restart"]),
        check=True, stdout=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip
    after_quiet = [quiet_get() for _ in range(8)]

    problems = []
    if set(before + after_quiet) != {"ok"}:
        problems.append(f"a restart with no request during it: before {before}, the first ones after {after_quiet}")
    for kind, started, answer, _title in results:
        if isinstance(answer, Exception):
            problems.append(f"{kind} at {started - down:+.1f} s: no answer ({type(answer).__name__}: {answer})")
        elif answer.seconds > PROMPT:
            problems.append(f"{kind} at {started - down:+.1f} s: answered after {answer.seconds:.1f} s")
        elif not ok(kind, answer) and answer.status < 500:
            problems.append(f"{kind} at {started - down:+.1f} s: {answer.status}, neither the page nor a 5xx")
        elif answer.status >= 500 and b"</html>" not in answer.body:
            problems.append(f"{kind} at {started - down:+.1f} s: {answer.status} without the error page")
    failed = [(kind, started, answer) for kind, started, answer, _ in results if not ok(kind, answer)]
    during = [f for f in failed if down - 0.5 <= f[1] <= up]
    late = [f for f in failed if f[1] > up + 5]
    if not during:
        problems.append("no request failed while PostgreSQL was down: the outage was not observed")
    if late:
        problems.append(f"{len(late)} request(s) still failing 5 s after the restart")
    recovered = {}
    for kind in ("get", "post"):
        after = [(started, ok(k, a)) for k, started, a, _ in results if k == kind and started >= up]
        first_ok = next((started for started, good in after if good), None)
        if first_ok is None:
            problems.append(f"no {kind} succeeded after the restart")
        else:
            recovered[kind] = first_ok - up

    # No half-written record: each service opened is whole, and every 302 names one of them.
    connections.close_all()
    opened = {s.title: s for s in Service.objects.filter(title__startswith="rel-pg-")}
    changes = {
        row["service_id"]: row["n"]
        for row in StageChange.objects.filter(service__title__startswith="rel-pg-")
        .values("service_id")
        .annotate(n=Count("id"))
    }
    history = getattr(Service, "history", None)
    historied = set(history.filter(title__startswith="rel-pg-").values_list("id", flat=True)) if history else None
    for title, service in opened.items():
        whole = service.code.startswith("SAT-") and changes.get(service.pk) == 1
        if historied is not None:
            whole = whole and service.pk in historied
        if not whole:
            stages = changes.get(service.pk)
            problems.append(f"half-written service {title!r}: code {service.code!r}, {stages} stage rows")
    answered = {title for kind, _s, a, title in results if kind == "post" and ok(kind, a)}
    if answered - set(opened):
        problems.append(f"answered 302 but not in the database: {sorted(answered - set(opened))}")
    if problems:
        raise Failure("; ".join(problems[:8]))
    statuses = sorted({a.status for _k, _s, a in failed if isinstance(a, Answer)})
    slowest = max(a.seconds for _k, _s, a, _t in results if isinstance(a, Answer))
    return (
        f"{len(results)} requests; PostgreSQL down {up - down:.1f} s; {len(during)} failed during it, all {statuses} "
        f"(slowest answer {slowest:.2f} s); first success after the restart: list {recovered['get']:.1f} s, "
        f"form {recovered['post']:.1f} s; {len(opened)} services opened, all whole, every 302 among them "
        f"({len(answered)}); after a restart with no request during it the first {len(after_quiet)} all succeeded"
    )


SCENARIOS = [
    ("worker killed mid-task", scenario_worker_killed),
    ("Redis down", scenario_redis_down),
    ("PostgreSQL restarted", scenario_postgres_restart),
]


def manage_started(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def manage_finished(process: subprocess.Popen) -> None:
    output, _ = process.communicate(timeout=240)
    if process.returncode != 0:
        raise Failure(f"{' '.join(process.args[1:])} exited {process.returncode}:\n{output}")


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


class TimeIsUp(Exception):
    """The whole run took longer than RELIABILITY_TIME_LIMIT (a request's own timeout is a TimeoutError)."""


def _time_is_up(signum, frame):
    raise TimeIsUp(f"the run took longer than {TIME_LIMIT} s (RELIABILITY_TIME_LIMIT)")


def main() -> int:
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        say("SKIPPED: redis-server is not installed (apt-get install redis-server); nothing was checked")
        return 2
    if not (PG_BIN / "initdb").exists():
        say(f"SKIPPED: no PostgreSQL at {PG_BIN} (set BENCH_PG_BIN); nothing was checked")
        return 2
    signal.signal(signal.SIGALRM, _time_is_up)
    signal.alarm(TIME_LIMIT)
    began = time.monotonic()
    results: list[tuple[str, bool, str]] = []
    work = Path(tempfile.mkdtemp(prefix="cat-reliability-"))
    work.chmod(0o755)
    try:
        with contextlib.ExitStack() as stack:
            database_url = stack.enter_context(postgres_cluster(["cat"]))["cat"]
            redis = Redis(work, redis_server)
            stack.callback(redis.stop)
            redis.start()
            secret_key = secrets.token_urlsafe(50)
            os.environ.update(
                {
                    "DEBUG": "0",
                    "SECRET_KEY": secret_key,
                    "ALLOWED_HOSTS": "127.0.0.1",
                    "DATABASE_URL": database_url,
                    "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis.port}/0",
                    "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{redis.port}/0",
                    "REDIS_CACHE_URL": f"redis://127.0.0.1:{redis.port}/1",
                    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
                    "MEDIA_ROOT": str(work / "media"),
                    "RELIABILITY_GATE": str(work / "gate"),
                    "SECURE_SSL_REDIRECT": "0",
                    "SESSION_COOKIE_SECURE": "0",
                    "CSRF_COOKIE_SECURE": "0",
                    "LOG_LEVEL": "WARNING",
                }
            )
            os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
            say(f"Redis on 127.0.0.1:{redis.port}; migrate, collectstatic and seed_demo --no-history")
            # migrate runs while collectstatic and gunicorn start (they need no tables), seed_demo after.
            migrate = manage_started(os.environ, "migrate", "--noinput", "-v", "0")
            stack.callback(stop_process, migrate)
            port = stack.enter_context(
                serve(database_url, secret_key, workers=2, log=work / "gunicorn.log", settings_module=SETTINGS)
            )
            manage_finished(migrate)
            manage_finished(manage_started({**os.environ, "DEBUG": "1"}, "seed_demo", "--no-history"))
            worker_env = {**os.environ, "LOG_LEVEL": "INFO"}
            import django

            django.setup()
            run = Run(work, port, redis, database_url, worker_env)
            stack.callback(run.stop_workers)
            stack.callback(signal.alarm, 0)  # the stopping above is bounded on its own: let it finish
            say(f"ready after {time.monotonic() - began:.0f} s")
            for name, scenario in SCENARIOS:
                started = time.monotonic()
                try:
                    detail = scenario(run)
                except Exception as error:
                    results.append((name, False, f"{type(error).__name__}: {error}"))
                    say(f"FAIL {name} ({time.monotonic() - started:.0f} s): {type(error).__name__}: {error}")
                    if not isinstance(error, Failure):
                        traceback.print_exc()
                    print(run.logs(), flush=True)
                    if isinstance(error, TimeIsUp):
                        break
                else:
                    results.append((name, True, detail))
                    say(f"PASS {name} ({time.monotonic() - started:.0f} s): {detail}")
    except Exception as error:  # the set-up itself failed
        results.append(("set-up", False, f"{type(error).__name__}: {error}"))
        say(f"FAIL set-up: {type(error).__name__}: {error}")
        traceback.print_exc()
    finally:
        signal.alarm(0)
        shutil.rmtree(work, ignore_errors=True)
    passed = sum(ok for _, ok, _ in results)
    say(f"{passed} of {len(SCENARIOS)} scenarios passed in {time.monotonic() - began:.0f} s")
    return 0 if passed == len(SCENARIOS) and len(results) == len(SCENARIOS) else 1


if __name__ == "__main__":
    sys.exit(main())
