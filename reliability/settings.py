"""The production settings, for `make reliability`'s gunicorn, Celery workers and the script itself.

Two differences, both for the run only: the reliability app (one document kind held at a gate,
reliability/apps.py), and static files named with their hashes as in production but not compressed
(WhiteNoise's gzip and Brotli copies of 50 MB took minutes; the run fetches no static file).
"""

from cat_center.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "reliability"]  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
