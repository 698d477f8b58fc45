"""The topics of a consultation (the seed's worksheet), loaded after every migrate or test-database flush."""

TOPICS = [
    "Información tecnológica",
    "Información de gestión",
    "Mercados y mercadeo",
    "Proveedores",
    "Trámites",
    "Cursos de capacitación",
    "Materiales informativos",
    "Otros",
]


def load_reference_data(*, Topic) -> None:  # noqa: N803 - a model class
    if not Topic.objects.exists():
        Topic.objects.bulk_create([Topic(name=name, order=10 * (i + 1)) for i, name in enumerate(TOPICS)])


def ensure_after_migrate(sender, app_config=None, **kwargs) -> None:
    if app_config is None or app_config.label != "consultations":
        return
    from .models import Topic

    load_reference_data(Topic=Topic)
