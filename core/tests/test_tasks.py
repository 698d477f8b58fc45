"""Celery: the health task in-process, and through a real broker to a real worker in CI."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from core.tasks import HEARTBEAT_KEY, heartbeat, ping


def test_the_health_task_answers_pong_in_process():
    assert ping.delay().get(timeout=5) == "pong"


def test_heartbeat_records_when_it_last_ran():
    cache.delete(HEARTBEAT_KEY)
    stamp = heartbeat.delay().get(timeout=5)
    assert cache.get(HEARTBEAT_KEY) == stamp


def test_the_beat_schedule_names_tasks_that_exist():
    from cat_center.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


BROKER = os.environ.get("CELERY_BROKER_URL", "")


@pytest.mark.integration
@pytest.mark.skipif(not BROKER, reason="CELERY_BROKER_URL is not set: no real broker to send the task through")
def test_the_health_task_goes_through_the_real_broker_to_a_real_worker(tmp_path):
    from cat_center.celery import app

    queue = f"health-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cat_center.settings", "DEBUG": "1"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cat_center",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=open(tmp_path / "worker.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    try:
        app.conf.task_always_eager = False
        app.conf.broker_url = BROKER
        app.conf.result_backend = BROKER
        result = ping.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while not result.ready() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert result.get(timeout=1) == "pong", (tmp_path / "worker.log").read_text()
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(timeout=30)
