"""Import of the CNSA EHPAD prices (latin-1, `;`, decimal comma, `\\N` = null) into PrixEhpad.

Rows are keyed by FINESS ET, so prices may come before or after the FINESS import. An EHPAD with an
aide-sociale price is marked habilitée à l'aide sociale.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ..annuaire_cache import changes_annuaire
from ..models import PrixEhpad, Structure
from .common import ImportReport, analyze, parse_decimal, run_batches
from .finess_formats import FINESS_RE

DEFAULT_PATH = Path(settings.REFERENCE_DATA_DIR) / "cnsa" / "cnsa-export-prix-ehpad-2019-brute.latin1.csv"
COLUMNS = {
    "heb_perm_seule": "prixHebPermCs",
    "heb_perm_double": "prixHebPermCd",
    "heb_perm_seule_as": "prixHebPermCsa",
    "heb_perm_double_as": "prixHebPermCda",
    "heb_temp_seule": "prixHebTempCs",
    "heb_temp_double": "prixHebTempCd",
    "heb_temp_seule_as": "prixHebTempCsa",
    "heb_temp_double_as": "prixHebTempCda",
    "tarif_gir_12": "TARIF_GIR_12",
    "tarif_gir_34": "TARIF_GIR_34",
    "tarif_gir_56": "TARIF_GIR_56",
}
UPDATE_FIELDS = [*COLUMNS, "prestations", "source_updated_at", "annee_source"]
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")  # « cnsa-export-prix-ehpad-2019-brute » → 2019


def source_year(path: Path) -> int | None:
    """The price year written in the CNSA file's name, shown beside every estimate."""
    match = YEAR_IN_NAME.search(path.name)
    return int(match.group(1)) if match else None


def _null(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value in ("\\N", "NULL") else value


def _date(value: str) -> datetime | None:
    try:
        return timezone.make_aware(datetime.fromisoformat(_null(value)[:19]))
    except ValueError:
        return None


def _prix(row: dict, annee: int | None = None) -> PrixEhpad | str:
    finess = _null(row.get("finessEt"))
    if not FINESS_RE.match(finess):
        return f"n° FINESS invalide « {finess} »"
    values = {}
    for field, column in COLUMNS.items():
        try:
            values[field] = parse_decimal(row.get(column))
        except ValueError as exc:
            return f"{column} : {exc}"
    if all(v is None for v in values.values()):
        return "aucun prix renseigné"
    return PrixEhpad(
        finess=finess,
        prestations=_null(row.get("AUTRE_PRESTATION_INCLUSE"))[:2000],
        source_updated_at=_date(row.get("DATE_MAJ", "")),
        annee_source=annee,
        **values,
    )


@changes_annuaire
def import_prix_ehpad(path: Path | str = DEFAULT_PATH, progress=None) -> ImportReport:
    path = Path(path)
    report = ImportReport(source=path.name)
    annee = source_year(path)

    def rows():
        with open(path, encoding="latin-1", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=";")
            for number, row in enumerate(reader, start=2):
                report.read += 1
                prix = _prix(row, annee)
                if isinstance(prix, str):
                    report.reject(f"{path.name}:{number}", prix)
                else:
                    yield prix

    def write(chunk: list[PrixEhpad]) -> int:
        chunk = list({p.finess: p for p in chunk}.values())
        PrixEhpad.objects.bulk_create(
            chunk, update_conflicts=True, unique_fields=["finess"], update_fields=UPDATE_FIELDS
        )
        habilitees = [p.finess for p in chunk if p.heb_perm_seule_as is not None or p.heb_perm_double_as is not None]
        report.count("habilitées aide sociale", len(habilitees))
        Structure.objects.filter(finess__in=habilitees).update(habilitation_aide_sociale=True)
        return len(chunk)

    run_batches(rows(), write, report, progress)
    analyze(PrixEhpad._meta.db_table)
    return report
