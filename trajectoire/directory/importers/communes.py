"""Import of the La Poste communes file (INSEE code, name, postal code, coordinates) into Commune."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings

from ..annuaire_cache import changes_annuaire
from ..geo import departement_from_insee, normalize, pretty_commune_name
from ..models import Commune
from .common import ImportReport, analyze, run_batches

DEFAULT_PATH = Path(settings.REFERENCE_DATA_DIR) / "communes" / "laposte_hexasmal_2022.csv"
CEDEX_FILE = "communes/liste-des-cedex.csv"
UPDATE_FIELDS = ["name", "search_name", "postal_codes", "departement", "latitude", "longitude"]


def _float(value: str) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def _read(path: Path, report: ImportReport) -> dict[str, dict]:
    """Rows are one per (commune, postal code, locality): grouped by INSEE code (≈ 35,000 communes)."""
    communes: dict[str, dict] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        for number, row in enumerate(reader, start=2):
            report.read += 1
            insee = (row.get("Code_commune_INSEE") or "").strip()
            postal = (row.get("Code_postal") or "").strip()
            if len(insee) != 5 or not row.get("Nom_commune"):
                report.reject(f"{path.name}:{number}", "code INSEE ou nom manquant")
                continue
            try:
                lat, lon = _float(row.get("latitude")), _float(row.get("longitude"))
            except ValueError:
                report.reject(f"{path.name}:{number}", "coordonnées invalides")
                continue
            item = communes.setdefault(
                insee, {"name": row["Nom_commune"].strip(), "postal": [], "lat": lat, "lon": lon}
            )
            if postal and postal not in item["postal"]:
                item["postal"].append(postal)
            if item["lat"] is None and lat is not None:
                item["lat"], item["lon"] = lat, lon
    return communes


@changes_annuaire
def import_communes(path: Path | str = DEFAULT_PATH, progress=None) -> ImportReport:
    path = Path(path)
    report = ImportReport(source=path.name)
    communes = _read(path, report)

    def write(chunk: list[tuple[str, dict]]) -> int:
        objs = [
            Commune(
                insee=insee,
                name=pretty_commune_name(item["name"]),
                search_name=normalize(item["name"]),
                postal_codes=",".join(sorted(item["postal"])),
                departement=departement_from_insee(insee),
                latitude=item["lat"],
                longitude=item["lon"],
            )
            for insee, item in chunk
        ]
        Commune.objects.bulk_create(objs, update_conflicts=True, unique_fields=["insee"], update_fields=UPDATE_FIELDS)
        return len(objs)

    run_batches(communes.items(), write, report, progress)
    analyze(Commune._meta.db_table)
    report.count("communes", len(communes))
    return report


def read_cedex(path: Path | str | None = None) -> dict[str, list[str]]:
    """La Poste's list of CEDEX codes (`cedex;libelle;insee`) as {CEDEX code: INSEE codes it serves}.

    Without the file (an instance that did not install it) the map is empty: structures with a CEDEX code
    are then resolved by name only.
    """
    path = Path(path) if path else Path(settings.REFERENCE_DATA_DIR) / CEDEX_FILE
    if not path.exists():
        return {}
    cedex: dict[str, list[str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            code, insee = (row.get("cedex") or "").strip(), (row.get("insee") or "").strip()
            if len(code) == 5 and len(insee) == 5:
                cedex.setdefault(code, []).append(insee)
    return cedex
