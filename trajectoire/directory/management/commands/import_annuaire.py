from django.core.management.base import CommandError

from trajectoire.directory.importers.annuaire import AnnuaireFormatError, import_annuaire

from ._base import ImportCommand, file_error


class Command(ImportCommand):
    help = (
        "Importe l’extraction publique de l’Annuaire Santé PS_LibreAcces_Personne_activite (séparateur |, noms de "
        "colonnes officiels) : professionnels (RPPS, ADELI), profession, savoir-faire, lieux d’exercice. Lecture en "
        "flux (fichier national ≈ 2 millions de lignes) ; idempotent."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("path")
        parser.add_argument(
            "--partiel",
            action="store_true",
            help="le fichier n’est qu’une partie de l’annuaire : ne pas supprimer les lieux d’exercice absents",
        )

    def handle(self, *args, **options):
        try:
            report = import_annuaire(options["path"], progress=self.progress, complete=not options["partiel"])
        except OSError as exc:
            raise file_error(exc) from exc
        except (AnnuaireFormatError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        self.print_report(report, options["rejets"])
