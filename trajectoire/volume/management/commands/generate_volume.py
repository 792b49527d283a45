"""Generate a national volume of data: professionals, patients, dossiers, demandes with their timelines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/trajectoire_bench uv run python manage.py generate_volume
    uv run python manage.py generate_volume --scale 0.01 --seed 7

Scale 1.0: 100,000 professionals, 1,000,000 patients, ≈1,500,000 dossiers, ≈4,000,000 demandes, on top of
the whole FINESS directory (imported first when the database has no structure). Additive: running it
twice adds a second volume. PostgreSQL: COPY; SQLite: executemany (small scales only).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import nullcontext

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from trajectoire.accounts.models import Membership, User
from trajectoire.demandes.models import Demande, DemandeEvent
from trajectoire.directory.models import Structure, Unite
from trajectoire.dossiers.models import Dossier, Section
from trajectoire.patients.models import Contact, Patient
from trajectoire.volume.dossiers import DossierGenerator
from trajectoire.volume.people import add_protected_units, generate_users, load_directory
from trajectoire.volume.tables import analyze, deferred_indexes, reset_sequences

MODELS = [Unite, User, Membership, Patient, Contact, Dossier, Section, Demande, DemandeEvent]
BULK_MODELS = [Patient, Contact, Dossier, Section, Demande, DemandeEvent]
CHUNK = 5000  # patients per transaction


class Command(BaseCommand):
    help = "Génère un volume national de données (professionnels, patients, dossiers, demandes)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = volume national (défaut)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--skip-import", action="store_true", help="ne pas importer FINESS si l’annuaire est vide")

    def handle(self, *args, scale: float, seed: int, skip_import: bool, **options):
        started = time.perf_counter()
        self.verbosity = options.get("verbosity", 1)
        rng = random.Random(seed)
        now = timezone.now().replace(microsecond=0)
        if not Structure.objects.exists():
            if skip_import:
                raise CommandError("L’annuaire est vide : importez FINESS d’abord (import_finess).")
            self._import_reference()
        self._step("unités protégées ajoutées", lambda: add_protected_units(rng, now))
        directory = load_directory()
        if not directory.structures or not directory.communes:
            raise CommandError("Aucune unité ou commune dans l’annuaire : rien à générer.")
        users = max(10, round(100_000 * scale))
        doctors = self._step(
            "professionnels", lambda: generate_users(rng, users, directory, now), count=lambda result: result[1]
        )[0]
        generator = DossierGenerator(rng, directory, doctors, now)
        # From 5 % of the national volume on, rebuilding indexes and foreign keys once beats per-row upkeep.
        deferred = deferred_indexes(BULK_MODELS, log=self._say) if scale >= 0.05 else nullcontext()
        with deferred:
            self._patients(generator, max(1, round(1_000_000 * scale)))
        self._step("séquences et statistiques", lambda: (reset_sequences(MODELS), analyze(MODELS)))
        self._summary(started)

    def _say(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    def _import_reference(self) -> None:
        for name in ("import_communes", "import_finess", "import_prix_ehpad"):
            self._step(name, lambda name=name: call_command(name, verbosity=0))

    def _step(self, label, func, count=None):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        rows = count(result) if count else result if isinstance(result, int) else None
        suffix = f" : {rows:,} lignes".replace(",", " ") if rows is not None else ""
        self._say(f"{label}{suffix} ({elapsed:.1f} s)")
        return result

    def _patients(self, generator: DossierGenerator, total: int) -> None:
        start = time.perf_counter()
        done = 0
        while done < total:
            size = min(CHUNK, total - done)
            with transaction.atomic():
                for _ in range(size):
                    generator.patient()
                generator.flush()
            done += size
            elapsed = time.perf_counter() - start
            if done == total or (done // CHUNK) % 20 == 0:
                rows = sum(t.written for t in generator.tables())
                self._say(
                    f"  patients {done:>9,} / {total:,}, {rows:>11,} lignes, {elapsed:6.0f} s "
                    f"({rows / max(elapsed, 0.001):,.0f} lignes/s)".replace(",", " ")
                )
        mix = ", ".join(f"{k} {v:,}".replace(",", " ") for k, v in sorted(generator.status_counts.items()))
        self._say(f"statuts des demandes : {mix}")

    def _summary(self, started: float) -> None:
        counts = {m._meta.label: m.objects.count() for m in MODELS}
        for label, count in counts.items():
            self._say(f"  {label:<25} {count:>12,}".replace(",", " "))
        elapsed = dt.timedelta(seconds=round(time.perf_counter() - started))
        self._say(self.style.SUCCESS(f"Volume généré en {elapsed} ({connection.vendor})."))
