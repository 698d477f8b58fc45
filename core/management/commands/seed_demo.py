import importlib
import importlib.util
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo centres, users for every role and each app's demo records (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=None, help="Scale the client registry to N companies.")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Leave out the project's 1999-2004 clients (monitoring's demo: 2,900 companies).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG off: it creates users with a public password.")
        for module in _demo_modules():
            with transaction.atomic():
                module.seed(options, self.stdout)


def _demo_modules():
    """Each of our apps' ``demo`` module, in INSTALLED_APPS order (clients before services)."""
    base = Path(settings.BASE_DIR).resolve()
    for app_config in apps.get_app_configs():
        if base not in Path(app_config.path).resolve().parents:
            continue
        name = f"{app_config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)
