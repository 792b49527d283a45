"""Shared output of the import commands: progress lines, summary, rejected lines."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from trajectoire.directory.reference_data import HOW_TO_FIX


def file_error(exc: OSError) -> CommandError:
    """A French message for an unreadable input file, with the usual fix for the reference data."""
    reason = "fichier introuvable" if isinstance(exc, FileNotFoundError) else "fichier illisible"
    return CommandError(f"{reason} : {exc.filename or exc}. Donnez le chemin du fichier, ou {HOW_TO_FIX}")


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--rejets", type=int, default=20, help="nombre de lignes rejetées à afficher")

    def run_import(self, importer, path, options) -> None:
        try:
            report = importer(path, progress=self.progress)
        except OSError as exc:
            raise file_error(exc) from exc
        self.print_report(report, options["rejets"])

    def progress(self, report) -> None:
        self.stdout.write(f"\r  … {report.read:>7} lignes lues, {report.imported:>7} importées", ending="")
        self.stdout.flush()

    def print_report(self, report, shown: int) -> None:
        self.stdout.write("")
        style = self.style.WARNING if report.rejected_count else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        for rejet in report.rejected[:shown]:
            self.stdout.write(f"  rejet {rejet.line} : {rejet.reason}")
        if report.rejected_count > shown:
            self.stdout.write(f"  … et {report.rejected_count - shown} autres rejets (option --rejets N)")
