"""Race tests: run calls in threads released at the same moment, each with its own connection.

Row locks (``select_for_update``) only mean something on PostgreSQL; SQLite serialises every
write anyway, so tests that prove a lock mark themselves ``POSTGRESQL_ONLY`` (CI runs them).
"""

import threading

import pytest
from django.db import connection, connections

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
)


def at_once(*calls, timeout: float = 60):
    """Run the calls in threads released together; return (results, errors) in completion order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=timeout)
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported to the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
