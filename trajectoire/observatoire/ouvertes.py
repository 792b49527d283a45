"""Open aggregates: one département, one complete month, as CSV and JSON (schema: `schema()`, docs/open-data.md).

Public (licence ouverte, no login): only fixed cuts are published — a département × a calendar month already
over — with the observatoire's secrecy (small cells « < 5 », complementary cells « secret », rates with a hidden
count left out). Free periods and filters, which allow differencing, stay behind an observatoire account.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from trajectoire.directory.models import Structure

from .graphiques import distribution_delais
from .secret import secret_below
from .services import Filtre, Ligne, statistiques

MARQUES = ["< {seuil}", "secret"]  # how a hidden count is written (Table Schema missingValues)
COUNTS = [
    ("demandes_recues", "total", "Demandes reçues"),
    ("reponses", "repondues", "Demandes ayant reçu une première réponse"),
    ("places_proposees", "acceptees", "Demandes avec une place proposée"),
    ("refus", "refusees", "Demandes refusées"),
    ("admissions", "admissions", "Admissions (confirmées ou entrées)"),
]
MESURES = [
    ("taux_acceptation", "taux_acceptation", "Places proposées ÷ demandes ayant reçu une réponse, en %"),
    ("taux_refus", "taux_refus", "Refus ÷ demandes ayant reçu une réponse, en %"),
    ("delai_median_reponse_heures", "delai_reponse_h", "Médiane des délais de l’envoi à la première réponse"),
    ("delai_median_entree_jours", "delai_admission_j", "Médiane des délais de l’envoi à l’entrée"),
]
SECTIONS = ["Ensemble", "Domaine", "Catégorie de structure", "Motif de refus", "Délai de première réponse"]


class PasPublie(Exception):
    """No open aggregate at this address (unknown département, month not over yet)."""


def periode(departement: str, annee: int, mois: int) -> Filtre:
    if not 1 <= mois <= 12 or annee < 2000:
        raise PasPublie("Mois invalide.")
    debut = dt.date(annee, mois, 1)
    if debut >= timezone.localdate().replace(day=1):
        raise PasPublie("Seuls les mois terminés sont publiés.")
    if not Structure.objects.filter(departement=departement).exists():
        raise PasPublie("Département inconnu.")
    fin = debut.replace(day=calendar.monthrange(annee, mois)[1])
    return Filtre(departements=[departement], depuis=debut, jusqua=fin)


def _ligne(section: str, label: str, line, filtre: Filtre) -> dict:
    row = {"territoire": filtre.departements[0], "mois": f"{filtre.depuis:%Y-%m}", "section": section,
           "regroupement": label}  # fmt: skip
    for name, attribute, _ in COUNTS:
        row[name] = _cell(line, attribute)
    for name, attribute, _ in MESURES:
        row[name] = getattr(line, attribute, None) if isinstance(line, Ligne) else None
    return row


def _cell(line, attribute: str):
    if attribute not in line.COUNTS:
        return None
    return line.valeur(attribute) if not line.masque(attribute) else line.publie(attribute)


def lignes(filtre: Filtre) -> list[dict]:
    stats = statistiques(filtre)
    rows = [_ligne("Ensemble", "Ensemble", stats.ensemble, filtre)]
    rows += [_ligne("Domaine", line.label, line, filtre) for line in stats.par_domaine]
    rows += [_ligne("Catégorie de structure", line.label, line, filtre) for line in stats.par_categorie]
    rows += [_effectif("Motif de refus", motif, "refus", filtre) for motif in stats.motifs_refus]
    rows += [_effectif("Délai de première réponse", c, "demandes_recues", filtre) for c in distribution_delais(stats)]
    return rows


def _effectif(section: str, effectif, column: str, filtre: Filtre) -> dict:
    """A one-count line (refusals of a motif, demandes of a delay class): its count in `column`."""
    row = _ligne(section, effectif.label, effectif, filtre)
    row[column] = _cell(effectif, "n")
    return row


def lignes_publiees(filtre: Filtre, *, calculer_si=lambda: True) -> list[dict] | None:
    """The rows of a published cut, computed at most once per `OPEN_DATA_CACHE_SECONDS` (a public, unauthenticated
    address must not let anyone load the database at will: the query string is ignored, and on a cache miss
    `calculer_si()` decides (the view's per-IP limit); None when it refuses)."""
    key = f"observatoire:ouvertes:{filtre.departements[0]}:{filtre.depuis:%Y-%m}"
    rows = cache.get(key)
    if rows is None:
        if not calculer_si():
            return None
        rows = lignes(filtre)
        cache.set(key, rows, timeout=settings.OPEN_DATA_CACHE_SECONDS)
    return rows


def champs() -> list[str]:
    return ["territoire", "mois", "section", "regroupement", *(n for n, _, _ in COUNTS), *(n for n, _, _ in MESURES)]


def schema() -> dict:
    """Table Schema (https://specs.frictionlessdata.io/table-schema/) of the CSV and of the JSON rows."""
    fields = [
        {"name": "territoire", "type": "string", "description": "Code du département des structures",
         "constraints": {"required": True, "pattern": "^([0-9]{2}|2A|2B|97[1-6])$"}},
        {"name": "mois", "type": "yearmonth", "description": "Mois d’envoi des demandes (AAAA-MM)"},
        {"name": "section", "type": "string", "description": "Regroupement des lignes",
         "constraints": {"required": True, "enum": SECTIONS}},
        {"name": "regroupement", "type": "string", "description": "Domaine, catégorie, motif ou classe de délai"},
    ]  # fmt: skip
    for name, _, description in COUNTS:
        fields.append({"name": name, "type": "integer", "description": description, "constraints": {"minimum": 0}})
    for name, _, description in MESURES:
        fields.append({"name": name, "type": "number", "description": description})
    seuil = secret_below()
    return {
        "fields": fields,
        "missingValues": ["", *(marque.format(seuil=seuil) for marque in MARQUES)],
        "primaryKey": ["territoire", "mois", "section", "regroupement"],
    }
