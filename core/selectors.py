"""Reads of core shared by every app: the centres' settings record."""

from asgiref.local import Local

from .models import CentreSettings

_request = Local()


def _all_settings() -> dict[int | None, CentreSettings]:
    """Every settings row by centre id (None: the network default), one query, cached per request."""
    cached = getattr(_request, "settings", None)
    if cached is not None:
        return cached
    rows = {row.centre_id: row for row in CentreSettings.objects.all()}
    if getattr(_request, "active", False):
        _request.settings = rows
    return rows


def centre_settings(centre_id: int | None = None) -> CentreSettings:
    """The parameters in force at a centre: its own row, else the network default, else the built-in defaults."""
    rows = _all_settings()
    return rows.get(centre_id) or rows.get(None) or CentreSettings()


def settings_lookup():
    """A function centre id -> the parameters in force there, all read with one query at most.

    For pages and tasks that look at records of several centres in a loop.
    """
    rows = _all_settings()
    fallback = rows.get(None) or CentreSettings()
    return lambda centre_id: rows.get(centre_id) or fallback


def settings_by_centre(centre_ids) -> dict[int, CentreSettings]:
    """The parameters in force at each of these centres, with one query at most."""
    lookup = settings_lookup()
    return {centre_id: lookup(centre_id) for centre_id in centre_ids}


class SettingsCacheMiddleware:
    """Reads the settings at most once per request, and never keeps them past it (an edit applies at once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.active, _request.settings = True, None
        try:
            return self.get_response(request)
        finally:
            _request.active, _request.settings = False, None
