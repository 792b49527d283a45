"""Import of FINESS establishments (any of the three formats) into Structure + one default Unite each.

Idempotent: structures are upserted on their FINESS number and the default unit on (structure, "principale");
a re-import updates the FINESS fields and never touches what référents edit (capabilities, free places,
habilitation à l'aide sociale).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from django.utils import timezone

from ..annuaire_cache import changes_annuaire
from ..categories import (
    DEFAULT_AGES,
    DEFAULT_CAPABILITIES,
    default_unit_name,
    domain_for,
    structure_type_for,
)
from ..geo import fix_overseas, system_for, to_wgs84
from ..models import Structure, Unite
from .common import ImportReport, analyze, batched, run_batches
from .commune_index import CommuneIndex
from .finess_formats import READERS, detect_format

DEFAULT_UNIT_CODE = "principale"
STRUCTURE_FIELDS = [
    "finess_ej", "siret", "name", "long_name", "category_code", "category_label", "structure_type", "domain",
    "address", "postal_code", "city", "commune", "departement", "phone", "latitude", "longitude", "is_active",
    "updated_at",
]  # fmt: skip


def _updated_at(value: str) -> datetime:
    try:
        return timezone.make_aware(datetime.combine(date.fromisoformat(value[:10]), datetime.min.time()))
    except ValueError:
        return timezone.now()


def _coordinates(rec: dict, departement: str) -> tuple[float | None, float | None]:
    if rec.get("latitude") is not None:
        return fix_overseas(rec["latitude"], rec["longitude"], departement)
    x, y = (rec.get("x") or "").replace(",", "."), (rec.get("y") or "").replace(",", ".")
    if not x or not y:
        return None, None
    return to_wgs84(float(x), float(y), system_for(rec.get("coord_source", ""), departement))


def _structure(rec: dict, communes: CommuneIndex) -> Structure:
    structure_type = structure_type_for(rec["category_code"])
    lat, lon = _coordinates(rec, rec["departement"])
    return Structure(
        finess=rec["finess"],
        finess_ej=rec.get("finess_ej", ""),
        siret=rec.get("siret", ""),
        name=rec["name"],
        long_name=rec.get("long_name", ""),
        category_code=rec["category_code"],
        category_label=rec.get("category_label", ""),
        structure_type=structure_type,
        domain=domain_for(structure_type),
        address=rec.get("address", ""),
        postal_code=rec.get("postal_code", ""),
        city=rec.get("city", ""),
        commune_id=communes.find(
            rec.get("insee", ""), rec.get("postal_code", ""), rec.get("city", ""), rec["departement"]
        ),
        departement=rec["departement"][:3],
        phone=rec.get("phone", ""),
        latitude=lat,
        longitude=lon,
        is_active=rec.get("is_active", True),
        updated_at=_updated_at(rec.get("datemaj", "")),
    )


def _default_unit(structure_id: int, structure_type: str) -> Unite:
    age_min, age_max = DEFAULT_AGES.get(structure_type, (None, None))
    return Unite(
        structure_id=structure_id,
        code=DEFAULT_UNIT_CODE,
        name=default_unit_name(structure_type),
        structure_type=structure_type,
        domain=domain_for(structure_type),
        capabilities=list(DEFAULT_CAPABILITIES.get(structure_type, [])),
        age_min=age_min,
        age_max=age_max,
    )


def upsert_structures(structures: list[Structure]) -> None:
    Structure.objects.bulk_create(
        structures, update_conflicts=True, unique_fields=["finess"], update_fields=STRUCTURE_FIELDS
    )
    typed = {s.finess: s.structure_type for s in structures if s.structure_type}
    ids = Structure.objects.filter(finess__in=list(typed)).values_list("finess", "pk")
    units = [_default_unit(pk, typed[finess]) for finess, pk in ids]
    Unite.objects.bulk_create(
        units, update_conflicts=True, unique_fields=["structure", "code"], update_fields=["structure_type", "domain"]
    )


def _update_coordinates(chunk: list[tuple[str, dict]], report: ImportReport) -> int:
    known = dict(Structure.objects.filter(finess__in=[r["finess"] for _, r in chunk]).values_list("finess", "pk"))
    deps = dict(Structure.objects.filter(pk__in=known.values()).values_list("pk", "departement"))
    objs = []
    for where, rec in chunk:
        pk = known.get(rec["finess"])
        if pk is None:
            report.reject(where, f"géolocalisation d’une structure absente ({rec['finess']})")
            continue
        try:
            lat, lon = _coordinates(rec, deps[pk])
        except ValueError as exc:
            report.reject(where, str(exc))
            continue
        objs.append(Structure(pk=pk, latitude=lat, longitude=lon))
    Structure.objects.bulk_update(objs, ["latitude", "longitude"])
    report.count("géolocalisations", len(objs))
    return 0


@changes_annuaire
def import_finess(
    path: Path | str, progress=None, departements: set[str] | None = None, communes: CommuneIndex | None = None
) -> ImportReport:
    """Import one FINESS file; with `departements`, only the structures of those départements.

    `communes` may be shared by the imports of several files (it reads every commune and the CEDEX list).
    """
    path = Path(path)
    fmt = detect_format(path)
    report = ImportReport(source=f"{path.name} ({fmt})")
    communes = communes or CommuneIndex()

    def records():
        for where, rec in READERS[fmt](path):
            report.read += 1
            if isinstance(rec, str):
                report.reject(where, rec)
            elif departements and not rec.get("geo") and rec["departement"] not in departements:
                report.count("hors départements choisis")
            else:
                yield where, rec

    def write(chunk: list[tuple[str, dict]]) -> int:
        structures, geos = [], []
        for where, rec in chunk:
            if rec.get("geo"):
                geos.append((where, rec))
                continue
            try:
                structures.append(_structure(rec, communes))
            except ValueError as exc:
                report.reject(where, f"coordonnées invalides : {exc}")
        if structures:
            upsert_structures(_last_wins(structures))
            report.count("sans commune", sum(1 for s in structures if s.commune_id is None))
        for geo_chunk in batched(geos, 500):
            _update_coordinates(geo_chunk, report)
        return len(structures)

    run_batches(records(), write, report, progress)
    analyze(Structure._meta.db_table, Unite._meta.db_table)
    return report


def _last_wins(structures: list[Structure]) -> list[Structure]:
    """A batch may hold the same FINESS twice (the upsert refuses it): keep the last one."""
    return list({s.finess: s for s in structures}.values())
