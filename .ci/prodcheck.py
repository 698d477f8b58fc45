"""The production shape starts: `make prodcheck` (CI runs it after the tests).

With DEBUG off, a random SECRET_KEY and a temporary STATIC_ROOT and database, it runs what
README's production steps run (migrate, collectstatic, check --deploy), then starts gunicorn once
on a free loopback port, fetches the login page and one static file through WhiteNoise, and stops
it. Exit status 1, with the reason, when any step fails.
"""

import json
import os
import secrets
import socket

# bandit: runs manage.py and gunicorn with fixed argument lists, never a shell.
import subprocess  # nosec B404
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(message: str) -> None:
    sys.exit(f"prodcheck: FAILED: {message}")


def run(env: dict, *args: str) -> str:
    print(f"prodcheck: manage.py {' '.join(args)}", flush=True)
    # This interpreter and manage.py with the check's own arguments (bandit B603).
    result = subprocess.run(  # nosec B603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        fail(f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def fetch(url: str) -> tuple[int, dict, bytes]:
    # Behind the TLS proxy of production: the proxy says the request came over HTTPS.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
    try:
        # Only ever http://127.0.0.1, the server this check just started (bandit B310).
        with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cat-prodcheck-") as work:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "https://cat.example.pe",
            "STATIC_ROOT": str(Path(work) / "static"),
            "MEDIA_ROOT": str(Path(work) / "media"),
            "DATABASE_URL": f"sqlite:///{Path(work) / 'prod.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "cat_center.settings",
        }
        for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_CACHE_URL"):
            env.pop(name, None)
        run(env, "migrate", "--noinput", "-v", "0")
        run(env, "compilecatalogues")
        run(env, "collectstatic", "--noinput", "-v", "0")
        output = run(env, "check", "--deploy", "--fail-level", "WARNING")
        print(f"prodcheck: {output.strip()}")
        manifest = json.loads((Path(work) / "static" / "staticfiles.json").read_text(encoding="utf-8"))["paths"]
        port = free_port()
        # The virtualenv's gunicorn with fixed arguments (bandit B603).
        server = subprocess.Popen(  # nosec B603
            [str(BIN / "gunicorn"), "cat_center.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if server.poll() is not None:
                        fail(f"gunicorn exited with {server.returncode}")
                    time.sleep(0.1)
            status, _headers, body = fetch(f"{base}/accounts/login/")
            if status != 200 or b"csrfmiddlewaretoken" not in body:
                fail(f"the login page answered {status}")
            hashed = manifest["js/cat.js"]
            if f"/static/{hashed}".encode() not in body:
                fail("the login page does not name the hashed static file js/cat.js")
            status, headers, body = fetch(f"{base}/static/{hashed}")
            if status != 200 or not body:
                fail(f"the static file {hashed} answered {status}")
            if "max-age" not in headers.get("Cache-Control", ""):
                fail(f"WhiteNoise did not mark {hashed} cacheable: {headers.get('Cache-Control')!r}")
            print(f"prodcheck: gunicorn on 127.0.0.1:{port} served the login page and /static/{hashed}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("prodcheck: ok")


if __name__ == "__main__":
    main()
