from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump on PostgreSQL, SQLite's backup API on SQLite) and every uploaded "
        "file under MEDIA_ROOT into one .tar.gz archive. Safe while the app serves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="Archive to write (default: BACKUP_DIR/cat-backup-<time>.tar.gz)"
        )
        parser.add_argument(
            "--keep", type=int, default=0, help="Afterwards keep only the newest N archives in BACKUP_DIR"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            path = backup_create(output=options["output"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size} bytes)")
        if options["keep"] > 0:
            for old in backup_prune(keep=options["keep"], directory=path.parent):
                self.stdout.write(f"Old backup removed: {old}")
