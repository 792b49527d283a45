from django.core.management.base import CommandError

from trajectoire.directory.importers.ror import import_ror

from ._base import ImportCommand, file_error


class Command(ImportCommand):
    help = (
        "Importe l’offre du ROR (FHIR R4, guide ANS « ROR ») : export en masse ndjson par type de ressource "
        "(Organization, Location, HealthcareService ; brut ou .gz), ressources isolées ou Bundles (.json). "
        "Les structures doivent avoir été importées de FINESS. Idempotent."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("paths", nargs="+", help="fichiers ROR (dans n’importe quel ordre)")
        parser.add_argument("--codes", type=int, default=30, help="nombre de codes sans correspondance à afficher")

    def handle(self, *args, **options):
        try:
            report = import_ror(options["paths"], progress=self.progress)
        except OSError as exc:
            raise file_error(exc) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"fichier illisible (encodage UTF-8 attendu) : {exc}") from exc
        self.print_report(report, options["rejets"])
        lines = report.unknown_lines()
        if lines:
            self.stdout.write(self.style.WARNING(f"Codes sans correspondance dans Trajectoire ({len(lines)}) :"))
            for line in lines[: options["codes"]]:
                self.stdout.write(f"  {line}")
            if len(lines) > options["codes"]:
                self.stdout.write(f"  … et {len(lines) - options['codes']} autres (option --codes N)")
