"""The PostgreSQL mode of `make bench`: a throw-away PostgreSQL 15 cluster and the app served by gunicorn.

``postgres_cluster()`` starts a cluster in a temporary directory on a free loopback port (as the
``postgres`` user when run as root, as .ci/run does) and stops and removes it on exit.
``serve()`` runs collectstatic into a temporary STATIC_ROOT and starts gunicorn with DEBUG off on a
free loopback port, stopped on exit. ``measure()`` requests each page from a bounded number of
concurrent clients for a bounded time and reports p50, p95 and requests per second.
"""

import contextlib
import http.client
import math
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", shlex.join(command)]
    return command


@contextlib.contextmanager
def postgres_cluster(databases: list[str]):
    """Yields {database: URL} on a fresh cluster; stops and deletes it afterwards."""
    if not (PG_BIN / "initdb").exists():
        sys.exit(f"bench: no PostgreSQL at {PG_BIN} (set BENCH_PG_BIN, or BENCH_DATABASE_URL to a database)")
    work = Path(tempfile.mkdtemp(prefix="cat-bench-pg-"))
    data = work / "data"
    port = free_port()
    if os.geteuid() == 0:
        work.chmod(0o755)
        shutil.chown(work, "postgres", "postgres")
    run = {"check": True, "stdout": subprocess.DEVNULL}
    try:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--locale=C.UTF-8"]
            ),
            **run,
        )  # fmt: skip
        options = (
            f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c shared_buffers=256MB -c max_connections=50"
        )
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(work / "server.log"), "-w", "-o",
                          options, "start"]),
            **run,
        )  # fmt: skip
        for name in databases:
            subprocess.run(
                _as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name]),
                **run,
            )
        print(f"bench: throw-away PostgreSQL cluster on 127.0.0.1:{port}", flush=True)
        yield {name: f"postgres://postgres@127.0.0.1:{port}/{name}" for name in databases}
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def serve(
    database_url: str,
    secret_key: str,
    workers: int,
    log: Path | None = None,
    settings_module: str = "cat_center.settings",
    extra_env: dict | None = None,
):
    """gunicorn with DEBUG off on a free loopback port: yields the port, stops the server afterwards.

    ``log``: a file for gunicorn's output (`make reliability` keeps the tracebacks of the failures
    it causes there), else this terminal. ``settings_module``: `make reliability`'s own settings.
    ``extra_env``: more environment for the server (the bench turns the dashboard's cache off).
    """
    with tempfile.TemporaryDirectory(prefix="cat-bench-static-") as static_root:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": static_root,
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": settings_module,
            **(extra_env or {}),
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        port = free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        output = open(log, "ab") if log else None  # noqa: SIM115 - closed with the server below
        server = subprocess.Popen(
            [str(gunicorn), "cat_center.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
        )  # fmt: skip
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if server.poll() is not None:
                        sys.exit(f"bench: gunicorn exited with {server.returncode}")
                    time.sleep(0.1)
            print(f"bench: gunicorn ({workers} workers, DEBUG off) on 127.0.0.1:{port}", flush=True)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            if output:
                output.close()


def _get(port: int, url: str, session: str) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    try:
        connection.request("GET", url, headers={"Cookie": f"sessionid={session}", "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def measure(port: int, url: str, session: str, *, clients: int, seconds: float) -> dict:
    """One warm-up request, then ``clients`` threads requesting the page for ``seconds``."""
    _get(port, url, session)
    times: list[float] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            status, elapsed = _get(port, url, session)
            with lock:
                times.append(elapsed)
                statuses.add(status)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    ordered = sorted(times)
    return {
        "requests": len(times),
        "status": sorted(statuses),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)], 1),
        "rps": round(len(times) / wall, 1),
    }
