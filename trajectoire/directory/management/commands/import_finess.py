from django.core.management.base import CommandError

from trajectoire.directory.importers.commune_index import CommuneIndex
from trajectoire.directory.importers.finess import import_finess
from trajectoire.directory.reference_data import HOW_TO_FIX, data_dir

from ._base import ImportCommand, file_error


class Command(ImportCommand):
    help = (
        "Importe les établissements FINESS (archives FHIR .tar.gz/.ndjson, CSV etalab avec en-tête, ou fichier "
        "etalab-cs1100507 officiel ; format détecté). Idempotent. Sans chemin : toute la France (FHIR)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("paths", nargs="*")
        parser.add_argument(
            "--departements", default="", help="limiter à ces départements, séparés par des virgules (ex. 01,42,69)"
        )

    def handle(self, *args, **options):
        paths = options["paths"] or sorted((data_dir() / "finess").glob("etab*.tar.gz"))
        if not paths:
            raise CommandError(
                f"Aucune archive FINESS (etab*.tar.gz) dans {data_dir() / 'finess'}. "
                f"Donnez les fichiers en argument, ou {HOW_TO_FIX}"
            )
        total = 0
        departements = {d.strip() for d in options["departements"].split(",") if d.strip()} or None
        communes = CommuneIndex()
        for path in paths:
            try:
                report = import_finess(path, progress=self.progress, departements=departements, communes=communes)
            except OSError as exc:
                raise file_error(exc) from exc
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.print_report(report, options["rejets"])
            total += report.seconds
        self.stdout.write(f"Durée totale : {total:.1f} s")
