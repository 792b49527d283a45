"""The observatoire's charts: DSFR chart web components (`@gouvfr/dsfr-chart`, vendored under static/) fed with the
published figures only. A hidden cell (« < 5 », « secret ») is `null` in a chart (no bar, no colour), exactly as
it is absent from the table that follows each chart (its accessible alternative)."""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass

from .secret import proteger
from .services import Effectif, Statistiques

# First-answer delay classes (hours): the chart of their distribution and its table.
TRANCHES = [
    ("Moins de 24 heures", 0, 24),
    ("1 à 2 jours", 24, 48),
    ("2 à 7 jours", 48, 7 * 24),
    ("7 à 15 jours", 7 * 24, 15 * 24),
    ("15 jours et plus", 15 * 24, None),
]


def distribution_delais(stats: Statistiques) -> list[Effectif]:
    """Demandes by delay of first answer, plus those not answered yet: their margin is the demandes received."""
    delays = sorted(stats.ensemble.delais_reponse_h)  # already sorted (services.statistiques): no work then
    classes = [
        Effectif(label, (len(delays) if high is None else bisect_left(delays, high)) - bisect_left(delays, low))
        for label, low, high in TRANCHES
    ]
    classes.append(Effectif("Pas encore de réponse", stats.ensemble.total - stats.ensemble.repondues))
    proteger(classes, Effectif("Ensemble", stats.ensemble.total), ["n"])
    return classes


@dataclass
class Graphique:
    ident: str
    titre: str
    balise: str  # the web component
    attributs: dict[str, str]
    table: str  # id of the table holding its data


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _bar(ident, titre, table, labels, series, names, **extra) -> Graphique:
    attributs = {"x": _json([labels]), "y": _json(series), "name": _json(names), **extra}
    return Graphique(ident, titre, "bar-chart", attributs, table)


def graphiques(stats: Statistiques, distribution: list[Effectif]) -> list[Graphique]:
    mois = stats.par_mois
    categories = stats.par_categorie
    carte = {line.label.removeprefix("Département "): line.valeur("total") for line in stats.par_departement}
    return [
        _bar("volumes", "Demandes reçues par mois", "table-mois", [line.label for line in mois],
             [[line.valeur("total") for line in mois]], ["Demandes reçues"]),
        _bar("delais", "Délai de première réponse", "table-delais", [c.label for c in distribution],
             [[c.valeur("n") for c in distribution]], ["Demandes"], **{"selected-palette": "sequentialAscending"}),
        _bar("taux", "Taux d’acceptation et de refus par catégorie (%)", "table-categorie",
             [line.label for line in categories],
             [[line.taux_acceptation for line in categories], [line.taux_refus for line in categories]],
             ["Taux d’acceptation", "Taux de refus"], **{"unit-tooltip": "%", "selected-palette": "categorical"}),
        _bar("motifs", "Motifs de refus", "table-motifs", [m.label for m in stats.motifs_refus],
             [[m.valeur("n") for m in stats.motifs_refus]], ["Refus"], horizontal="true"),
        Graphique("carte", "Demandes reçues par département", "map-chart", {
            "data": _json({code: n for code, n in carte.items() if n is not None}),
            "value": _json(stats.ensemble.valeur("total") or 0),
            "name": "Demandes reçues",
        }, "table-departement"),
    ]  # fmt: skip
