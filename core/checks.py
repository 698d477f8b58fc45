"""System checks of the project's own settings (``manage.py check --deploy`` runs the deploy ones)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104  # nosec B104 - compared, never bound


@register("cat", deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """In production SITE_URL must be the address people use: it completes the links in e-mails and on paper."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.hostname in LOOPBACK:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: reminder e-mails and printed certificates would link there.",
                hint="Set SITE_URL to the address people reach the site at, e.g. https://cat.example.pe.",
                id="cat.W001",
            )
        ]
    return []
