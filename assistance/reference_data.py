"""The catalogue of the assistance app: service types (the seed's Cuadro 3).

Loaded by a migration and re-checked after every migrate or test-database flush.
"""

# Service type, and the subsector it usually serves (None: any).
SERVICE_TYPES = [
    ("Desarrollo de equipos", None),
    ("Bebidas", "Bebidas"),
    ("Chocolatería y confitería", "Confitería y chocolatería"),
    ("Procesamiento de frutas y hortalizas", "Frutas y hortalizas"),
    ("Productos fermentados", None),
    ("Productos fritos", None),
    ("Derivados lácteos", "Lácteos"),
    ("Panificación", "Panificación y pastelería"),
    ("Pastas y fideos", "Pastas y fideos"),
    ("Licores y macerados", "Licores y macerados"),
    ("Apicultura", "Apicultura"),
    ("Derivados cárnicos", "Cárnicos"),
]


def load_reference_data(*, ServiceType, Subsector) -> None:  # noqa: N803 - model classes
    if not ServiceType.objects.exists():
        subsectors = {s.name: s for s in Subsector.objects.all()}
        ServiceType.objects.bulk_create(
            [ServiceType(name=name, subsector=subsectors.get(sub)) for name, sub in SERVICE_TYPES]
        )


def ensure_after_migrate(sender, app_config=None, **kwargs) -> None:
    if app_config is None or app_config.label != "assistance":
        return
    from clients.models import Subsector

    from .models import ServiceType

    load_reference_data(ServiceType=ServiceType, Subsector=Subsector)
