"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cat_center.settings")

app = Celery("cat_center")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
