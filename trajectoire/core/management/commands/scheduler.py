"""Enqueue the periodic tasks (settings.PERIODIC_TASKS) for the workers. Tasks are idempotent, so running two
schedulers by mistake only costs duplicate work, never a duplicate e-mail."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Place les tâches périodiques (relances, alertes d’inactivité) dans la file du worker."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Une seule passe, puis s’arrête.")

    def handle(self, *args, once=False, **options):
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for path, every_seconds in settings.PERIODIC_TASKS:
                if once or now - last_run.get(path, -1e12) >= every_seconds:
                    import_string(path).enqueue()
                    last_run[path] = now
                    self.stdout.write(f"tâche placée : {path}")
            if once:
                return
            time.sleep(30)
