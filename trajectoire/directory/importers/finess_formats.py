"""Readers of the FINESS formats found in the wild, each yielding (line, record | reason).

- FHIR R4 ndjson (in .tar.gz archives or plain): an Organization then its Location (WGS84);
- the headered etalab CSV (header starting `nofinesset;`), Lambert-93 / UTM coordinates, INSEE `cog`;
- the official headerless etalab-cs1100507 file: `structureet;…` lines (31 fields), then
  `geolocalisation;…` lines (5 fields), layout in format-etalab-cs1100507.csv.
A record is a dict of Structure fields; a geolocalisation record has only finess, x, y and source.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tarfile
from collections.abc import Iterator
from pathlib import Path

from ..geo import FINESS_DEPARTEMENTS, departement_from_finess
from .common import format_phone

FINESS_RE = re.compile(r"^[0-9][0-9AB][0-9]{7}$")
FORMAT_FHIR, FORMAT_CSV, FORMAT_CS1100507 = "fhir", "etalab-csv", "etalab-cs1100507"
CS_STRUCTURE_FIELDS = [
    "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib", "numvoie", "typvoie", "voie",
    "compvoie", "lieuditbp", "commune", "departement", "libdepartement", "ligneacheminement", "telephone",
    "telecopie", "categetab", "libcategetab", "categagretab", "libcategagretab", "siret", "codeape",
    "codemft", "libmft", "codesph", "libsph", "dateouv", "dateautor", "datemaj",
]  # fmt: skip
CS_GEO_FIELDS = ["nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj"]

Item = tuple[str, dict | str]  # (where, record) or (where, reason of rejection)


def detect_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz", ".ndjson", ".json")):
        return FORMAT_FHIR
    with open(path, "rb") as handle:
        first = handle.readline().decode("utf-8", "replace").lstrip("\ufeff")
    if first.lower().startswith("nofinesset;"):
        return FORMAT_CSV
    if first.startswith(("finess;", "structureet;", "geolocalisation;")):
        return FORMAT_CS1100507
    if first.startswith("{"):
        return FORMAT_FHIR
    raise ValueError(f"{path.name} : format FINESS non reconnu (ni FHIR, ni CSV etalab, ni etalab-cs1100507)")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _address(numvoie, typvoie, voie, compvoie="", lieuditbp="") -> str:
    street = " ".join(p for p in (numvoie, compvoie, typvoie, voie) if p)
    return ", ".join(p for p in (street, lieuditbp) if p)[:255]


def _split_acheminement(value: str) -> tuple[str, str]:
    value = (value or "").strip()
    if len(value) > 6 and value[:5].isdigit():
        return value[:5], value[6:].strip()
    return "", value


def _unquote(name: str) -> str:
    """The FHIR extract kept the CSV quoting of some names ("EHPAD ""LE 6EME"" → EHPAD "LE 6EME")."""
    name = name.strip()
    if len(name) > 1 and name.startswith('"') and name.endswith('"'):
        name = name[1:-1].replace('""', '"')
    return name


def _base(finess: str, rec: dict) -> dict | str:
    if not FINESS_RE.match(finess or ""):
        return f"n° FINESS invalide « {finess} »"
    rec["name"] = _unquote(rec.get("name", ""))
    if not rec.get("name"):
        return "raison sociale manquante"
    if not re.fullmatch(r"[0-9]{3}", rec.get("category_code") or ""):
        return f"catégorie invalide « {rec.get('category_code', '')} »"
    rec["finess"] = finess
    if not rec.get("departement"):
        postal = rec.get("postal_code", "")
        overseas = finess.startswith("97") and postal.startswith("97")
        rec["departement"] = postal[:3] if overseas else departement_from_finess(finess)
    rec["departement"] = FINESS_DEPARTEMENTS.get(rec["departement"], rec["departement"])
    return rec


# --- FHIR ndjson -------------------------------------------------------------------------------------


def _fhir_members(path: Path) -> Iterator[tuple[str, io.IOBase]]:
    if path.name.lower().endswith((".tar.gz", ".tgz")):
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                if member.isfile() and member.name.endswith((".ndjson", ".json")):
                    yield member.name, archive.extractfile(member)
    else:
        with open(path, "rb") as handle:
            yield path.name, handle


def _fhir_organization(res: dict) -> dict | str:
    finess = next(
        (i.get("value", "") for i in res.get("identifier", []) if i.get("system") == "urn:oid:1.2.250.1.71.4.2.2"),
        "",
    )
    codings = {c.get("system", ""): c for t in res.get("type", []) for c in t.get("coding", [])}
    cat = codings.get("http://finess.sante.gouv.fr/valuesets/CAT_ETAB", {})
    address = (res.get("address") or [{}])[0]
    phone = next((t.get("value", "") for t in res.get("telecom", []) if t.get("system") == "phone"), "")
    siret = next((i.get("value", "") for i in res.get("identifier", []) if i.get("system") == "http://sirene.fr"), "")
    updated = (res.get("meta") or {}).get("lastUpdated", "")[:10]
    return _base(
        finess,
        {
            "finess_ej": res.get("id", "").split("-")[0][:9],
            "siret": siret[:14],
            "name": (res.get("name") or "")[:255],
            "category_code": cat.get("code", ""),
            "category_label": (cat.get("display") or "")[:255],
            "address": ", ".join(address.get("line", []))[:255],
            "postal_code": (address.get("postalCode") or "")[:5],
            "city": (address.get("city") or "")[:150],
            "phone": format_phone(phone),
            "is_active": res.get("active", True),
            "datemaj": updated,
        },
    )


def read_fhir(path: Path) -> Iterator[Item]:
    """Organization lines, each completed by the Location line that follows (matched by reference)."""
    pending: tuple[str, dict] | None = None
    for member, handle in _fhir_members(path):
        for number, raw in enumerate(handle, start=1):
            where = f"{Path(member).name}:{number}"
            try:
                res = json.loads(raw)
            except ValueError:
                yield where, "ligne JSON illisible"
                continue
            kind = res.get("resourceType") if isinstance(res, dict) else None
            if kind == "Organization":
                if pending:
                    yield pending
                rec = _fhir_organization(res)
                pending = (where, rec) if isinstance(rec, dict) else None
                if not isinstance(rec, dict):
                    yield where, rec
                else:
                    rec["_id"] = res.get("id")
            elif kind == "Location":
                ref = ((res.get("managingOrganization") or {}).get("reference") or "").removeprefix("Organization/")
                pos = res.get("position") or {}
                if pending and pending[1].get("_id") == ref:
                    if "latitude" in pos and "longitude" in pos:
                        pending[1]["latitude"], pending[1]["longitude"] = pos["latitude"], pos["longitude"]
                    yield pending
                    pending = None
                else:
                    yield where, f"Location sans Organization correspondante ({ref})"
            else:
                yield where, f"ressource FHIR inattendue ({kind})"
    if pending:
        yield pending


# --- etalab CSV (headered) ---------------------------------------------------------------------------


def read_etalab_csv(path: Path) -> Iterator[Item]:
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
        for number, values in enumerate(reader, start=2):
            where = f"{path.name}:{number}"
            if len(values) != len(header):
                yield where, f"{len(values)} champs au lieu de {len(header)}"
                continue
            row = dict(zip(header, (v.strip() for v in values), strict=True))
            rec = _base(
                row.get("nofinesset", ""),
                {
                    "finess_ej": row.get("nofinessej", "")[:9],
                    "siret": row.get("siret", "")[:14],
                    "name": row.get("rs", "")[:255],
                    "long_name": row.get("rslongue", "")[:255],
                    "category_code": row.get("categetab", ""),
                    "category_label": (row.get("liblongcategetab") or row.get("libcategetab", ""))[:255],
                    "address": _address(row.get("numvoie"), row.get("typvoie"), row.get("voie"),
                                        row.get("compvoie"), row.get("lieuditbp")),
                    "postal_code": row.get("codepostal", "")[:5],
                    "city": (row.get("libelle_routage") or _split_acheminement(row.get("ligneacheminement"))[1])[:150],
                    "insee": row.get("cog", ""),
                    "departement": row.get("departement", ""),
                    "phone": format_phone(row.get("telephone", "")),
                    "datemaj": row.get("datemaj", ""),
                    "x": row.get("coordx", ""),
                    "y": row.get("coordy", ""),
                    "coord_source": row.get("sourcegeocod", ""),
                },
            )  # fmt: skip
            yield where, rec


# --- etalab-cs1100507 (headerless, two sections) -----------------------------------------------------


def _cs_structure(values: list[str]) -> dict | str:
    row = dict(zip(CS_STRUCTURE_FIELDS, values, strict=True))
    departement = row["departement"]
    postal, city = _split_acheminement(row["ligneacheminement"])
    insee = ("97" if departement.startswith("9") and not departement.isdigit() else departement) + row["commune"]
    return _base(
        row["nofinesset"],
        {
            "finess_ej": row["nofinessej"][:9],
            "siret": row["siret"][:14],
            "name": row["rs"][:255],
            "long_name": row["rslongue"][:255],
            "category_code": row["categetab"],
            "category_label": row["libcategetab"][:255],
            "address": _address(row["numvoie"], row["typvoie"], row["voie"], row["compvoie"], row["lieuditbp"]),
            "postal_code": postal,
            "city": city[:150],
            "insee": insee if len(insee) == 5 else "",
            "phone": format_phone(row["telephone"]),
            "datemaj": row["datemaj"],
        },
    )


def read_cs1100507(path: Path) -> Iterator[Item]:
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path.name}:{number}"
            line = _decode(raw).rstrip("\r\n").lstrip("\ufeff")
            if not line.strip() or line.startswith("finess;"):
                continue  # blank line or the file's header (finess;etalab;…)
            section, _, rest = line.partition(";")
            values = [v.strip() for v in rest.split(";")]
            if section == "structureet":
                if len(values) != len(CS_STRUCTURE_FIELDS):
                    yield where, f"section structureet : {len(values)} champs au lieu de {len(CS_STRUCTURE_FIELDS)}"
                    continue
                yield where, _cs_structure(values)
            elif section == "geolocalisation":
                if len(values) != len(CS_GEO_FIELDS):
                    yield where, f"section geolocalisation : {len(values)} champs au lieu de {len(CS_GEO_FIELDS)}"
                    continue
                row = dict(zip(CS_GEO_FIELDS, values, strict=True))
                if not FINESS_RE.match(row["nofinesset"]):
                    yield where, f"n° FINESS invalide « {row['nofinesset']} »"
                    continue
                yield where, {"geo": True, "finess": row["nofinesset"], "x": row["coordxet"],
                              "y": row["coordyet"], "coord_source": row["sourcecoordet"]}  # fmt: skip
            else:
                yield where, f"section inconnue « {section[:30]} »"


READERS = {FORMAT_FHIR: read_fhir, FORMAT_CSV: read_etalab_csv, FORMAT_CS1100507: read_cs1100507}
