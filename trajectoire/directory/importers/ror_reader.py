"""Reading ROR FHIR R4 files: bulk `$export` ndjson (one resource per line, plain or gzip), single resources and
Bundles (.json), and the parts of a resource the import needs (FINESS of an Organization, capacity of a Location).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from .finess_formats import FINESS_RE

ROR_SD = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"
FINESS_SYSTEMS = {"https://finess.esante.gouv.fr", "urn:oid:1.2.250.1.71.4.2.2", "http://finess.sante.gouv.fr"}
# TRE_G07 « Type d'identifiant de structure »: 1 FINESS; 40 identifiant national de structure (1 + FINESS).
FINESS_TYPE, ID_NAT_STRUCT_TYPE = "1", "40"

Item = tuple[str, dict | str]  # (where, resource) or (where, French reason)


def _open(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_resources(path: Path | str) -> Iterator[Item]:
    """Every resource of the file, Bundles unpacked; a malformed line or entry is a French reason, not a crash."""
    path = Path(path)
    stem = path.name.removesuffix(".gz")
    if stem.endswith(".json"):
        with _open(path) as handle:
            text = handle.read()
        try:
            yield from _whole(path.name, json.loads(text))
            return
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                yield f"{path.name}:{exc.lineno}", f"JSON illisible ({exc.msg})"
                return
        lines: Iterator[str] = iter(text.splitlines())  # several resources, one per line: ndjson after all
        yield from _lines(path.name, lines)
        return
    with _open(path) as handle:
        yield from _lines(path.name, handle)


def _lines(name: str, lines) -> Iterator[Item]:
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        try:
            resource = json.loads(raw)
        except ValueError:
            yield where, "ligne JSON illisible"
            continue
        yield from _whole(where, resource)


def _whole(where: str, resource) -> Iterator[Item]:
    if not isinstance(resource, dict) or not resource.get("resourceType"):
        yield where, "ressource FHIR sans resourceType"
    elif resource["resourceType"] == "Bundle":
        for index, entry in enumerate(resource.get("entry") or [], start=1):
            inner = entry.get("resource") if isinstance(entry, dict) else None
            yield from _whole(f"{where} (entrée {index})", inner)
    else:
        yield where, resource


def parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def organization_finess(org: dict) -> str:
    """The FINESS number of a ROR Organization ('' when it has none: an EJ without FINESS, a city practice)."""
    for identifier in org.get("identifier") or []:
        value = str(identifier.get("value") or "")
        types = {c.get("code") for c in ((identifier.get("type") or {}).get("coding") or [])}
        if (identifier.get("system") in FINESS_SYSTEMS or FINESS_TYPE in types) and FINESS_RE.match(value):
            return value
        if ID_NAT_STRUCT_TYPE in types and value.startswith("1") and FINESS_RE.match(value[1:]):
            return value[1:]
    return ""


def organization_aide_sociale(org: dict) -> bool:
    """Extension ror-organization-financial-help-type, TRE_R241 « Aide financière » 02 « Habilité Aide Sociale »
    (as in the guide's example ROROrganizationExempleEG)."""
    return any(
        ext.get("url") == ROR_SD + "ror-organization-financial-help-type" and _code(ext) == "02"
        for ext in org.get("extension") or []
    )


@dataclass
class Capacite:
    installed: int | None = None
    free: int | None = None
    updated_at: datetime | None = None


def _code(ext: dict) -> str:
    concept = ext.get("valueCodeableConcept") or {}
    codings = concept.get("coding") or [concept]  # some ANS samples put system/code on the concept itself
    return str(codings[0].get("code", ""))


# Zone d'intervention of an offer: extension ror-territorial-division (typeTerritorialDivision,
# codeTerritorialDivision; ROR documentation samples) or ror-healthcareservice-intervention-zone (type, code; FSH
# of the guide). Type from JDV_J223 / TRE_R201: 2 Département, 3 Commune are mapped; 1 Région, 4 Territoire de
# santé, 5 Pays, 6 Zone de défense are reported as unknown.
ZONE_URLS = (ROR_SD + "ror-territorial-division", ROR_SD + "ror-healthcareservice-intervention-zone")
DIVISIONS = {"2": "D", "3": "C"}
DIVISION_TYPES = "TRE_R201-TypeDivisionTerritoriale"


def intervention_zone(hs: dict) -> tuple[list[str], list[tuple[str, str, str]]]:
    """(["D:01", "C:69383"…], unknown (nomenclature, code, label)) of a HealthcareService."""
    zone, unknown = [], []
    for ext in hs.get("extension") or []:
        if ext.get("url") not in ZONE_URLS:
            continue
        parts = {e.get("url"): e for e in ext.get("extension") or []}
        kind = _code(parts.get("typeTerritorialDivision") or parts.get("type") or {})
        code = _code(parts.get("codeTerritorialDivision") or parts.get("code") or {})
        if kind in DIVISIONS and code:
            zone.append(f"{DIVISIONS[kind]}:{code}")
        else:
            unknown.append((DIVISION_TYPES, kind, code))
    return list(dict.fromkeys(zone)), unknown


def location_capacity(location: dict) -> Capacite:
    """Beds/places of a Location (extension ror-location-supported-capacity): installed (TRE_R330 01) and
    available (02), current temporality only (TRE_R331 01), summed over genders. Raises ValueError (French)."""
    cap = Capacite()
    for ext in location.get("extension") or []:
        if ext.get("url") != ROR_SD + "ror-location-supported-capacity":
            continue
        parts = {e.get("url"): e for e in ext.get("extension") or []}
        number = (parts.get("nbCapacity") or {}).get("valueInteger")
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ValueError(f"capacité sans nombre valide (nbCapacity « {number} »)")
        if _code(parts.get("temporalityCapacity") or {}) not in ("", "01"):
            continue
        status = _code(parts.get("capacityStatus") or {})
        when = parse_datetime((parts.get("capacityUpdateDate") or {}).get("valueDateTime"))
        if status == "01":
            cap.installed = (cap.installed or 0) + number
        elif status == "02":
            cap.free = (cap.free or 0) + number
            cap.updated_at = max(filter(None, (cap.updated_at, when)), default=None)
    return cap


def age_range(hs: dict) -> tuple[int | None, int | None]:
    """Public of the offer (extension ror-healthcareservice-patient-type, ageRange in years; 'mo' = months)."""
    for ext in hs.get("extension") or []:
        if ext.get("url") != ROR_SD + "ror-healthcareservice-patient-type":
            continue
        for part in ext.get("extension") or []:
            if part.get("url") == "ageRange":
                rng = part.get("valueRange") or {}
                return _years(rng.get("low")), _years(rng.get("high"), upper=True)
    return None, None


def _years(quantity: dict | None, upper: bool = False) -> int | None:
    if not quantity or not isinstance(quantity.get("value"), int | float):
        return None
    value = quantity["value"] / 12 if quantity.get("code") == "mo" else quantity["value"]
    if upper and value >= 120:
        return None  # « 150 ans »: no upper limit
    return max(0, int(value))


def reference_id(reference: dict | None, kind: str) -> str:
    ref = str((reference or {}).get("reference") or "")
    return ref.split("/", 1)[1] if ref.startswith(kind + "/") else ""
