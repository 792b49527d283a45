"""Shared output of the import commands: progress lines, summary, rejected lines."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--rejets", type=int, default=20, help="nombre de lignes rejetées à afficher")

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
