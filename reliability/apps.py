"""One document kind that exists only in `make reliability`: assistance's service file (expediente),
held at a gate while the run kills its worker.

The kind renders the real template with the real context, through the real task; the only thing
added is the wait before it: the rendering process writes ``reached-<n>`` (its pid inside) in the
directory named by ``RELIABILITY_GATE``, then waits while ``hold`` exists there (60 s at most).
Production never loads this app (reliability/settings.py adds it).
"""

import os
import time
from pathlib import Path

from django.apps import AppConfig

GATED_KIND = "reliability.gated_expediente"


def _held(context):
    def wrapped(record):
        gate = Path(os.environ["RELIABILITY_GATE"])
        (gate / f"reached-{time.time_ns()}").write_text(str(os.getpid()))
        deadline = time.monotonic() + 60
        while (gate / "hold").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return context(record)

    return wrapped


class ReliabilityConfig(AppConfig):
    name = "reliability"
    verbose_name = "Reliability checks"

    def ready(self):
        from dataclasses import replace

        from core.reports import register_report, report_kind

        base = report_kind("assistance.expediente")
        register_report(replace(base, key=GATED_KIND, context=_held(base.context)))
