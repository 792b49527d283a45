from trajectoire.directory.importers.communes import DEFAULT_PATH, import_communes

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Importe les communes (fichier La Poste : code INSEE, codes postaux, coordonnées). Idempotent."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, **options):
        self.run_import(import_communes, options["path"], options)
