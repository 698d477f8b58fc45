from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "celery:last-heartbeat"


@shared_task
def ping() -> str:
    """The trivial health task: a worker that answers "pong" is alive."""
    return "pong"


@shared_task
def heartbeat() -> str:
    """Run by beat: records when the scheduler and a worker last worked together."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
