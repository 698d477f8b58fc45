from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_read_manifest, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and MEDIA_ROOT with the contents of an archive written by `manage.py backup`. "
        "Everything saved since that backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        archive = options["archive"]
        try:
            manifest = backup_read_manifest(archive)
        except (OSError, BackupError, KeyError) as error:
            raise CommandError(f"{archive} is not a readable backup: {error}") from error
        self.stdout.write(
            f"Backup of {manifest['created']} ({manifest['engine']}, {manifest['media_files']} uploaded files)."
        )
        if options["interactive"]:
            answer = input("This replaces the database and the uploaded files. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backup_restore(archive_path=archive, using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Restore finished: restart the app and its workers.")
