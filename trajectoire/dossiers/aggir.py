"""AGGIR: from the evaluated (sub-)variables to the rank and the GIR. Pure functions, no Django.

Sources
-------
- Rank and GIR: Code de l'action sociale et des familles, annexe 2-2 (« Algorithme de la grille
  AGGIR », décret n° 97-427 du 28 avril 1997, reproduced in the CASF by décret n° 2008-821), as
  published by Légifrance and mirrored in etalab/codes-juridiques-francais
  (codes-en-vigueur/code-de-l-action-sociale-et-des-familles/annexe/article-annexe-2-2.md).
  Groups A to H, one value per variable and modality (A always counts 0), thresholds with their
  inclusive/exclusive bounds, ranks 1 to 13, rank → GIR table. Transcribed below as integers.
- Sub-variables: CASF annexe 2-1, guide de remplissage (décret n° 2008-821 du 21 août 2008).
  The guide itself is published as a fac-similé only (not in the consolidated text); each rule below
  cites what it was checked against (docs/clinical-rules.md lists them all):
    toilette (haut, bas): AA → A, CC → C, otherwise B — vérifié on the MedinTux/FreeMedForms AGGIR
      calculator `NewGirScore` (comment « Toilette AA=A CC=C autres=B »), which transcribes the guide; the
      guide reproduced by Dr J.-F. Masse (« Évaluation de la perte d'autonomie ») agrees per issue 15;
    habillage (haut, moyen, bas): AAA → A, CCC → C, otherwise B — vérifié (same sources, « AAA=A CCC=C
      Autres=B »);
    alimentation (se servir, manger): AA → A, CC → C, BC → C, CB → C, otherwise B (so AC and CA give B)
      — vérifié (same sources, « Alimentation SM AA=A CC=C BC=C CB=C Autres=B »);
    élimination (urinaire, fécale): AA → A, any C → C, otherwise B — vérifié (same sources,
      « Elimination AA=A CC=C CB_BC=C AC=C CA=C BB=B »);
    cohérence (communication, comportement) and orientation (temps, espace): AA → A, any C → C,
      otherwise B — non vérifié: no official table was found; the MedinTux calculator applies the same
      rule but cites no text.
  Each rule is one entry of `SUB_VARIABLE_RULES`, so a correction is a one-line change.

Speed: a variable's modality is an index (A=0, B=1, C=2); each group holds a tuple of per-variable
value triples; the result of every one of the 3^10 = 59,049 profiles is memoised.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MODALITES = ("A", "B", "C")
_INDEX = {"A": 0, "B": 1, "C": 2}

# The ten discriminant variables, in the order of the annexe 2-2 tables.
VARIABLES = (
    "coherence",
    "orientation",
    "toilette",
    "habillage",
    "alimentation",
    "elimination",
    "transferts",
    "deplacements_interieurs",
    "deplacements_exterieurs",
    "communication",
)

VARIABLE_LABELS = {
    "coherence": "Cohérence",
    "orientation": "Orientation",
    "toilette": "Toilette",
    "habillage": "Habillage",
    "alimentation": "Alimentation",
    "elimination": "Élimination",
    "transferts": "Transferts",
    "deplacements_interieurs": "Déplacements à l’intérieur",
    "deplacements_exterieurs": "Déplacements à l’extérieur",
    "communication": "Communication à distance",
}

# Sub-variables (annexe 2-1) of the variables the guide splits.
SUB_VARIABLES = {
    "coherence": ("communication", "comportement"),
    "orientation": ("temps", "espace"),
    "toilette": ("haut", "bas"),
    "habillage": ("haut", "moyen", "bas"),
    "alimentation": ("se_servir", "manger"),
    "elimination": ("urinaire", "fecale"),
}

SUB_VARIABLE_LABELS = {
    "communication": "Communication",
    "comportement": "Comportement",
    "temps": "Dans le temps",
    "espace": "Dans l’espace",
    "haut": "Haut",
    "moyen": "Moyen",
    "bas": "Bas",
    "se_servir": "Se servir",
    "manger": "Manger",
    "urinaire": "Urinaire",
    "fecale": "Fécale",
}

# The 7 illustrative variables: recorded, never part of the GIR.
ILLUSTRATIVES = {
    "gestion": "Gestion",
    "cuisine": "Cuisine",
    "menage": "Ménage",
    "transports": "Transports",
    "achats": "Achats",
    "suivi_traitement": "Suivi du traitement",
    "activites_temps_libre": "Activités de temps libre",
}

ALL_SAME_OR_B = "all_same_or_b"  # all A → A, all C → C, otherwise B
ANY_C = "any_c"  # all A → A, at least one C → C, otherwise B
C_WITH_B = "c_with_b"  # AA → A, CC → C, BC or CB → C, otherwise B (AC and CA give B)

SUB_VARIABLE_RULES = {
    "toilette": ALL_SAME_OR_B,
    "habillage": ALL_SAME_OR_B,
    "alimentation": C_WITH_B,
    "elimination": ANY_C,
    "coherence": ANY_C,  # non vérifié (no official table found)
    "orientation": ANY_C,  # non vérifié (no official table found)
}
UNVERIFIED_RULES = frozenset({"coherence", "orientation"})


def _apply_rule(rule: str, values: tuple[str, ...]) -> str:
    if all(v == "A" for v in values):
        return "A"
    if all(v == "C" for v in values):
        return "C"
    if rule == ANY_C and "C" in values:
        return "C"
    if rule == C_WITH_B and "C" in values and "B" in values:
        return "C"
    return "B"


def _combination_tables() -> dict[str, dict[tuple[str, ...], str]]:
    """Every combination of each split variable's sub-variables → its modality (built once)."""
    from itertools import product

    tables = {}
    for variable, subs in SUB_VARIABLES.items():
        rule = SUB_VARIABLE_RULES[variable]
        tables[variable] = {values: _apply_rule(rule, values) for values in product(MODALITES, repeat=len(subs))}
    return tables


COMBINATIONS = _combination_tables()

# Annexe 2-2: (value for B, value for C) per variable, in VARIABLES order; A is always 0.
_GROUP_VALUES = {
    "A": ((0, 2000), (0, 1200), (16, 40), (16, 40), (20, 60), (16, 100), (120, 800), (32, 200), (0, 0), (0, 0)),
    "B": ((320, 1500), (120, 1200), (16, 40), (16, 40), (0, 60), (16, 100), (120, 800), (-40, -80), (0, 0), (0, 0)),
    "C": ((0, 0), (0, 0), (16, 40), (16, 40), (20, 60), (20, 160), (200, 1000), (40, 400), (0, 0), (0, 0)),
    "D": ((0, 0), (0, 0), (0, 0), (0, 0), (200, 2000), (200, 400), (200, 2000), (0, 200), (0, 0), (0, 0)),
    "E": ((0, 400), (0, 400), (100, 400), (100, 400), (100, 400), (100, 800), (100, 800), (0, 200), (0, 0), (0, 0)),
    "F": ((100, 200), (100, 200), (100, 500), (100, 500), (100, 500), (100, 500), (100, 500), (0, 200), (0, 0), (0, 0)),
    "G": ((0, 150), (0, 150), (200, 300), (200, 300), (200, 500), (200, 500), (200, 400), (100, 200), (0, 0), (0, 0)),
    "H": (
        (0, 0),
        (0, 0),
        (2000, 3000),
        (2000, 3000),
        (2000, 3000),
        (2000, 3000),
        (2000, 1000),
        (1000, 1000),
        (0, 0),
        (0, 0),
    ),
}

# Annexe 2-2 thresholds: the sum is compared with ">=" ("supérieure ou égale", "(inclus)"), in order;
# a group whose sum reaches none of its thresholds sends the evaluation to the next group.
# Group H ends with 13 for every sum below 2000 ("inférieure à 2 000 (exclus) : rang 13").
THRESHOLDS = {
    "A": ((4380, 1), (4140, 2), (3390, 3)),
    "B": ((2016, 4),),
    "C": ((1700, 5), (1432, 6)),
    "D": ((2400, 7),),
    "E": ((1200, 8),),
    "F": ((800, 9),),
    "G": ((650, 10),),
    "H": ((4000, 11), (2000, 12)),
}
LAST_RANK = 13
GROUPS = tuple(THRESHOLDS)

RANK_TO_GIR = {1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 4, 11: 4, 12: 5, 13: 6}

# Per group: for each variable, the values indexed by modality (A, B, C).
_COEFFS = {group: tuple((0, b, c) for b, c in values) for group, values in _GROUP_VALUES.items()}


class AggirError(ValueError):
    """An evaluation that cannot be computed; the message is French and names the problem."""


@dataclass(frozen=True)
class Resultat:
    gir: int
    rang: int
    groupe: str
    sommes: tuple[tuple[str, int], ...]  # the sums of the groups tested, in order (to explain)

    def as_dict(self) -> dict:
        return {"gir": self.gir, "rang": self.rang, "groupe": self.groupe}


def group_sum(group: str, modalites: tuple[int, ...]) -> int:
    coeffs = _COEFFS[group]
    return sum(coeffs[i][m] for i, m in enumerate(modalites))


def rank_in_group(group: str, total: int) -> int | None:
    """The rank a group's sum gives, or None to test the next group (group H always gives one)."""
    for threshold, rank in THRESHOLDS[group]:
        if total >= threshold:
            return rank
    return LAST_RANK if group == GROUPS[-1] else None


@lru_cache(maxsize=3**10)
def _evaluate(modalites: tuple[int, ...]) -> Resultat:
    sommes = []
    for group in GROUPS:
        total = group_sum(group, modalites)
        sommes.append((group, total))
        rank = rank_in_group(group, total)
        if rank is not None:
            return Resultat(RANK_TO_GIR[rank], rank, group, tuple(sommes))
    raise AssertionError("unreachable: group H always gives a rank")


def evaluate(variables: dict) -> Resultat:
    """Rank and GIR from the ten discriminant variables (values "A", "B" or "C")."""
    return _evaluate(to_indexes(variables))


def to_indexes(variables: dict) -> tuple[int, ...]:
    indexes = []
    for name in VARIABLES:
        if name not in variables:
            raise AggirError(f"Variable manquante : « {name} ».")
        value = variables[name]
        index = _INDEX.get(value) if isinstance(value, str) else None
        if index is None:
            raise AggirError(f"Valeur invalide pour « {name} » : {value!r} (attendu « A », « B » ou « C »).")
        indexes.append(index)
    return tuple(indexes)


def combine(variable: str, modalites) -> str:
    """The modality of a variable from its sub-variables (annexe 2-1 guide, see `SUB_VARIABLE_RULES`)."""
    result = COMBINATIONS[variable].get(tuple(modalites))
    if result is None:
        expected = len(SUB_VARIABLES[variable])
        raise AggirError(f"« {variable} » attend {expected} sous-variables cotées A, B ou C.")
    return result


def variables_from_grid(grid: dict) -> dict:
    """The ten variables from a filled grid: `<variable>_<sub>` keys for split variables, else `<variable>`."""
    result = {}
    for name in VARIABLES:
        subs = SUB_VARIABLES.get(name)
        if subs:
            result[name] = combine(name, (grid.get(f"{name}_{sub}") for sub in subs))
        else:
            value = grid.get(name)
            if value not in _INDEX:
                raise AggirError(f"« {VARIABLE_LABELS[name]} » n’est pas cotée.")
            result[name] = value
    return result


def evaluate_grid(grid: dict) -> Resultat | None:
    """The result of a (possibly incomplete) grid, or None while a discriminant variable is missing."""
    try:
        return evaluate(variables_from_grid(grid))
    except AggirError:
        return None


# `manage.py aggir` keys: a split variable is given either as its composite value or as all its sub-variables.
SUB_VARIABLE_KEYS = {name: tuple(f"{name}_{sub}" for sub in subs) for name, subs in SUB_VARIABLES.items()}
_ALL_SUB_KEYS = frozenset(key for keys in SUB_VARIABLE_KEYS.values() for key in keys)


# Per variable, in order: its name, its sub-variable keys (or None) and the combination table as indexes.
_LINE_PLAN = tuple(
    (name, SUB_VARIABLE_KEYS.get(name), {k: _INDEX[v] for k, v in COMBINATIONS.get(name, {}).items()})
    for name in VARIABLES
)


def line_indexes(data: dict) -> tuple[int, ...]:
    """The ten modality indexes of one input line (composites, or sub-variables for the split variables).

    A split variable given both ways, or with only some of its sub-variables, is an error (French message).
    """
    if _ALL_SUB_KEYS.isdisjoint(data):  # the common case: composites only
        return to_indexes(data)
    get = data.get
    indexes = []
    for name, keys, table in _LINE_PLAN:
        if keys is None:
            indexes.append(_composite_index(name, data))
            continue
        values = tuple(map(get, keys))
        try:
            index = table.get(values)
        except TypeError:  # an unhashable value (a list…)
            index = None
        if index is None or name in data:
            index = _split_index(name, keys, data)
        indexes.append(index)
    return tuple(indexes)


def _split_index(name: str, keys: tuple[str, ...], data: dict) -> int:
    """The slow path of a split variable: given as a composite, or explain what is wrong."""
    given = [key for key in keys if key in data]
    if not given:
        return _composite_index(name, data)
    if name in data:
        raise AggirError(f"« {name} » est donnée deux fois : la valeur composite ou ses sous-variables, pas les deux.")
    if len(given) < len(keys):
        missing = ", ".join(key for key in keys if key not in data)
        raise AggirError(f"Sous-variables incomplètes pour « {name} » : manque {missing}.")
    raise AggirError(f"Valeur invalide dans les sous-variables de « {name} » (attendu « A », « B » ou « C »).")


def _composite_index(name: str, data: dict) -> int:
    if name not in data:
        raise AggirError(f"Variable manquante : « {name} ».")
    value = data[name]
    index = _INDEX.get(value) if isinstance(value, str) else None
    if index is None:
        raise AggirError(f"Valeur invalide pour « {name} » : {value!r} (attendu « A », « B » ou « C »).")
    return index
