"""The dashboard's numbers, kept in Django's cache per scope, centre, period and language.

Measured before it was added (``make bench``, PostgreSQL, 100,000 companies): the
dashboard's aggregates take some 0.3-0.6 s of SQL, and managers open the same period
again and again (the page, each table's CSV/XLSX, the API). A cached dashboard answers
without touching the service tables.

Invalidated on change: every save or delete of a record of the apps the dashboard reads
(and of the centres' settings, whose PAR threshold it uses) replaces one version key
when its transaction commits, and the entries of the old version are never read again.
Writes that send no signal (``bulk_create``, ``QuerySet.update``, loading the demo
data) are bounded by the entries' lifetime, ``MONITORING_CACHE_SECONDS`` (0 turns the
cache off). The pipeline's ageing depends on today, which is part of the key.

With several server processes the cache must be shared (``REDIS_CACHE_URL``) for a
change seen by one process to reach the others at once; with the per-process memory
cache a change made through another process shows after at most the lifetime.
"""

import datetime
import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from core.access import centre_ids, sees_all_centres

from . import selectors

logger = logging.getLogger(__name__)

VERSION_KEY = "monitoring:data-version"
# The apps whose records the dashboard counts, and of core the centres and their settings (not its
# report jobs, notifications or users, which change all day and count for nothing here).
SOURCE_APPS = ("clients", "assistance", "training", "consultations", "credit")
SOURCE_MODELS = ("core.Centre", "core.CentreSettings")


def lifetime() -> int:
    return int(getattr(settings, "MONITORING_CACHE_SECONDS", 0))


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # Another process may have set it meanwhile: keep theirs.
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY, version)
    return version


def invalidate() -> None:
    """A new version: every cached dashboard is stale from now on.

    Never fails the save that called it: with the cache server down (Redis stopped) the save stands,
    and an entry kept by that server is bounded by its lifetime."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001 - any cache backend's connection error
        logger.warning("monitoring: the dashboard's cache could not be invalidated", exc_info=True)


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    transaction.on_commit(invalidate)


def connect_signals() -> None:
    """Called once from the app's ready(): every model of the source apps (their history records apart,
    which are written beside the record itself)."""
    models = [model for label in SOURCE_APPS for model in apps.get_app_config(label).get_models()]
    models += [apps.get_model(label) for label in SOURCE_MODELS]
    for model in models:
        if not model.__name__.startswith("Historical"):
            uid = f"monitoring-cache-{model._meta.label_lower}"
            post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_changed, sender=through, dispatch_uid=f"{uid}-{field.name}")


def _key(user, date_from: datetime.date, date_to: datetime.date, centre) -> str:
    scope = "all" if sees_all_centres(user) else ".".join(str(pk) for pk in sorted(centre_ids(user)))
    parts = [
        "monitoring:dashboard",
        data_version(),
        scope,
        str(centre.pk if centre is not None else "-"),
        date_from.isoformat(),
        date_to.isoformat(),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
    ]
    return ":".join(parts)


def dashboard(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """``selectors.dashboard``, from the cache when the same scope asked for the same period today."""
    seconds = lifetime()
    if seconds <= 0:
        return selectors.dashboard(user, date_from, date_to, centre)
    try:
        key = _key(user, date_from, date_to, centre)
        data = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache server down: compute, as without a cache
        logger.warning("monitoring: the dashboard's cache could not be read", exc_info=True)
        return selectors.dashboard(user, date_from, date_to, centre)
    if data is None:
        data = selectors.dashboard(user, date_from, date_to, centre)
        try:
            cache.set(key, data, seconds)
        except Exception:  # noqa: BLE001
            logger.warning("monitoring: the dashboard's cache could not be written", exc_info=True)
    return data
