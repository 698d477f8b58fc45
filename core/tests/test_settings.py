"""Production settings: fail loudly when incomplete, pass Django's deploy checklist when complete."""

import json
import os
import subprocess
import sys

from django.conf import settings


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7#kq!v2@pz9$wm4^rt6&yb8*nc3(hd5)fj1_lg0+ea-CAT-prod-key",
        ALLOWED_HOSTS="cat.example.pe",
        SITE_URL="https://cat.example.pe",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_a_site_url_left_at_the_development_default():
    result = _manage(
        "check",
        "--deploy",
        DEBUG="0",
        SECRET_KEY="x7#kq!v2@pz9$wm4^rt6&yb8*nc3(hd5)fj1_lg0+ea-CAT-prod-key",
        ALLOWED_HOSTS="cat.example.pe",
        SITE_URL="",
    )
    assert "cat.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "cat.example.pe"}
    result = _manage("check", **env, SECRET_KEY="")
    # An empty SECRET_KEY is Django's own refusal; a missing one is ours (environ).
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_seed_demo_refuses_to_run_in_production():
    result = _manage(
        "seed_demo",
        DEBUG="0",
        SECRET_KEY="x7#kq!v2@pz9$wm4^rt6&yb8*nc3(hd5)fj1_lg0+ea-CAT-prod-key",
        ALLOWED_HOSTS="cat.example.pe",
    )
    assert result.returncode != 0
    assert "refuses to run with DEBUG off" in result.stderr


def test_a_kept_database_connection_is_checked_before_reuse_and_a_silent_server_times_out():
    """After a PostgreSQL restart each process's kept connection is dead: the health check makes the
    next request reconnect instead of failing on it (`make reliability` restarts the server for real)."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    result = _manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']]))",
        DEBUG="0",
        SECRET_KEY="x7#kq!v2@pz9$wm4^rt6&yb8*nc3(hd5)fj1_lg0+ea-CAT-prod-key",
        ALLOWED_HOSTS="cat.example.pe",
        DATABASE_URL="postgres://cat@127.0.0.1:5432/cat",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        60,
        True,
        {"options": "-c jit=off", "connect_timeout": 5},
    ]
