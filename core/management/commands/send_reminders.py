from django.core.management.base import BaseCommand

from core.reminders import reminders_run


class Command(BaseCommand):
    help = "Write today's follow-up reminders and e-mail the daily digests (what beat runs every morning)."

    def handle(self, *args, **options):
        result = reminders_run()
        self.stdout.write(f"{result['created']} new reminder(s), {result['emails']} e-mail(s) sent.")
