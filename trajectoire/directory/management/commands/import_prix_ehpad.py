from trajectoire.directory.importers.prix import DEFAULT_PATH, import_prix_ehpad

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Importe les prix des EHPAD (export CNSA, latin-1, virgule décimale). Idempotent."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, **options):
        self.run_import(import_prix_ehpad, options["path"], options)
