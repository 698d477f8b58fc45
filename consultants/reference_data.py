"""The catalogue of the directory: the specialty areas.

Loaded by a migration and re-checked after every migrate or test-database flush.
"""

from .models import Area

AREAS = list(Area.values)


def load_specialty_areas(*, SpecialtyArea) -> None:  # noqa: N803 - a model class
    if not SpecialtyArea.objects.exists():
        SpecialtyArea.objects.bulk_create([SpecialtyArea(code=code) for code in AREAS])


def ensure_after_migrate(sender, app_config=None, **kwargs) -> None:
    if app_config is None or app_config.label != "consultants":
        return
    from .models import SpecialtyArea

    load_specialty_areas(SpecialtyArea=SpecialtyArea)
