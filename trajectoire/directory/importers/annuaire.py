"""Import of the Annuaire Santé public extract « PS_LibreAcces_Personne_activite » (ANS, `|`-separated, UTF-8, one
row per activity of a professional, header with the official column names: « Description des nouvelles extractions
en libre accès » V1.2 and « DSFT Extractions » v3.0.0, in shared/data/rpps/).

Streaming (the national file has ≈ 2 million rows): rows are read one by one and written by batches; a
professional's rows may be anywhere in the file. Idempotent: professionals are upserted on their national
identification (type + identifier), places of practice on (professional, place key); after a whole file, the
places not seen in it are deleted (a professional who left a structure). Hooks named in settings.ANNUAIRE_HOOKS
run at the end (accounts fills `User.profession` from it).
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from ..geo import normalize
from ..models import LieuExercice, Professionnel
from .common import ImportReport, analyze, run_batches

# Our field → official column name (first line of the extract).
COLUMNS = {
    "id_type": "Type d'identifiant PP",
    "identifiant": "Identifiant PP",
    "identification_nationale": "Identification nationale PP",
    "civilite_exercice": "Code civilité d'exercice",
    "civilite": "Code civilité",
    "nom": "Nom d'exercice",
    "prenom": "Prénom d'exercice",
    "profession_code": "Code profession",
    "profession_label": "Libellé profession",
    "savoir_faire_code": "Code savoir-faire",
    "savoir_faire_label": "Libellé savoir-faire",
    "mode_exercice": "Code mode exercice",
    "siret": "Numéro SIRET site",
    "finess_site": "Numéro FINESS site",
    "finess_ej": "Numéro FINESS établissement juridique",
    "structure_id": "Identifiant technique de la structure",
    "raison_sociale": "Raison sociale site",
    "code_postal": "Code postal (coord. structure)",
    "commune_code": "Code commune (coord. structure)",
    "commune": "Libellé commune (coord. structure)",
    "email": "Adresse e-mail (coord. structure)",
}
PRO_FIELDS = ["id_type", "identifiant", "civilite", "civilite_exercice", "nom", "prenom", "search_name",
              "profession_code", "profession_label", "savoir_faire_code", "savoir_faire_label",
              "updated_at"]  # fmt: skip
LIEU_FIELDS = ["mode_exercice", "finess_site", "finess_ej", "siret", "raison_sociale", "code_postal",
               "commune_code", "commune", "email", "seen_at"]  # fmt: skip
ID_TYPES = {"8": 11, "0": 9}  # RPPS: 11 digits; ADELI: 9 characters


class AnnuaireFormatError(ValueError):
    """The file is not the expected extract (French message)."""


def _rows(path: Path, report: ImportReport):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="|", quoting=csv.QUOTE_NONE)
        header = [h.strip() for h in next(reader, [])]
        if header and header[-1] == "":
            header = header[:-1]  # the official files end each line with "|"
        missing = [name for name in COLUMNS.values() if name not in header]
        if missing:
            raise AnnuaireFormatError(
                f"{path.name} : ce n’est pas l’extraction PS_LibreAcces_Personne_activite, colonnes absentes : "
                + ", ".join(f"« {m} »" for m in missing)
            )
        positions = {field: header.index(name) for field, name in COLUMNS.items()}
        for number, values in enumerate(reader, start=2):
            report.read += 1
            where = f"{path.name}:{number}"
            if values and values[-1] == "" and len(values) == len(header) + 1:
                values = values[:-1]
            if len(values) != len(header):
                report.reject(where, f"{len(values)} champs au lieu de {len(header)}")
                continue
            row = {field: values[i].strip() for field, i in positions.items()}
            reason = _invalid(row)
            if reason:
                report.reject(where, reason)
                continue
            yield row


def _invalid(row: dict) -> str:
    length = ID_TYPES.get(row["id_type"])
    if length is None:
        return f"type d’identifiant inconnu « {row['id_type']} » (8 RPPS ou 0 ADELI)"
    if len(row["identifiant"]) != length or not row["identifiant"].isalnum():
        return f"identifiant invalide « {row['identifiant']} »"
    if not row["nom"]:
        return "nom d’exercice manquant"
    return ""


def _cle(row: dict) -> str:
    parts = (row["structure_id"], row["finess_site"], row["siret"], row["raison_sociale"])
    return "|".join(parts)[:120]


def _write(chunk: list[dict], started) -> int:
    pros = {}
    for row in chunk:
        national = row["identification_nationale"] or row["id_type"] + row["identifiant"]
        pros[national] = Professionnel(
            identification_nationale=national, search_name=normalize(f"{row['nom']} {row['prenom']}")[:301],
            updated_at=started, **{f: row[f][:150] for f in PRO_FIELDS if f in row},
        )  # fmt: skip
    Professionnel.objects.bulk_create(
        list(pros.values()), update_conflicts=True, unique_fields=["identification_nationale"], update_fields=PRO_FIELDS
    )
    ids = dict(
        Professionnel.objects.filter(identification_nationale__in=pros).values_list("identification_nationale", "pk")
    )
    lieux = {}
    for row in chunk:
        pk = ids[row["identification_nationale"] or row["id_type"] + row["identifiant"]]
        lieux[(pk, _cle(row))] = LieuExercice(
            professionnel_id=pk, cle=_cle(row), seen_at=started, **{f: row[f][:255] for f in LIEU_FIELDS if f in row}
        )
    LieuExercice.objects.bulk_create(
        list(lieux.values()), update_conflicts=True, unique_fields=["professionnel", "cle"], update_fields=LIEU_FIELDS
    )
    return len(chunk)


def import_annuaire(path: Path | str, progress=None, *, complete: bool = True) -> ImportReport:
    """Import one extract; `complete`: the file is the whole directory (places not in it are deleted)."""
    path = Path(path)
    report = ImportReport(source=path.name)
    started = timezone.now()
    run_batches(_rows(path, report), lambda chunk: _write(chunk, started), report, progress)
    if complete and report.imported:
        deleted, _ = LieuExercice.objects.filter(seen_at__lt=started).delete()
        report.count("lieux d’exercice disparus supprimés", deleted)
    report.count("professionnels", Professionnel.objects.filter(updated_at=started).count())
    analyze(Professionnel._meta.db_table, LieuExercice._meta.db_table)
    for hook in getattr(settings, "ANNUAIRE_HOOKS", []):
        import_string(hook)(report)
    return report
