"""`manage.py aggir`: JSON lines in, JSON lines out; bad lines explained, exit code non-zero."""

import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from trajectoire.dossiers import aggir
from trajectoire.dossiers.management.commands.aggir import run

GOOD = {
    "coherence": "A",
    "orientation": "A",
    "toilette": "B",
    "habillage": "B",
    "alimentation": "A",
    "elimination": "A",
    "transferts": "A",
    "deplacements_interieurs": "A",
    "deplacements_exterieurs": "A",
    "communication": "A",
}


def _run(lines):
    out = io.BytesIO()
    failures = run(io.BytesIO("\n".join(lines).encode() + b"\n"), out)
    return failures, [json.loads(line) for line in out.getvalue().decode().splitlines()]


def test_one_result_per_line_in_order():
    failures, results = _run([json.dumps(GOOD), json.dumps(dict.fromkeys(GOOD, "C"))])
    assert failures == 0
    assert results == [
        {"gir": 4, "rang": 11, "groupe": "H", "variables": GOOD},
        {"gir": 1, "rang": 1, "groupe": "A", "variables": dict.fromkeys(GOOD, "C")},
    ]


def test_bad_lines_are_explained_and_the_command_goes_on():
    missing = {k: v for k, v in GOOD.items() if k != "transferts"}
    failures, results = _run(
        ["{pas du json", json.dumps(missing), json.dumps({**GOOD, "toilette": "Z"}), "[1, 2]", json.dumps(GOOD)]
    )
    assert failures == 4
    assert results[0] == {"error": "JSON invalide."}
    assert results[1] == {"error": "Variable manquante : « transferts »."}
    assert "Valeur invalide pour « toilette »" in results[2]["error"]
    assert "Un objet JSON est attendu" in results[3]["error"]
    assert results[4] == {"gir": 4, "rang": 11, "groupe": "H", "variables": GOOD}


def test_exit_code_of_the_real_command():
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"}
    good = subprocess.run(
        [sys.executable, str(manage), "aggir"], input=json.dumps(GOOD) + "\n", capture_output=True, text=True, env=env
    )
    assert good.returncode == 0
    assert json.loads(good.stdout) == {"gir": 4, "rang": 11, "groupe": "H", "variables": GOOD}
    bad = subprocess.run(
        [sys.executable, str(manage), "aggir"],
        input="oops\n" + json.dumps(GOOD) + "\n",
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 1
    assert json.loads(bad.stdout.splitlines()[1])["gir"] == 4
    assert "1 ligne(s) en erreur" in bad.stderr


def _expected(variable, values):
    """The composite by the guide's table, written out here independently of the code under test."""
    if all(v == "A" for v in values):
        return "A"
    if all(v == "C" for v in values):
        return "C"
    if variable in ("elimination", "coherence", "orientation") and "C" in values:
        return "C"
    if variable == "alimentation" and set(values) == {"B", "C"}:
        return "C"
    return "B"


@pytest.mark.parametrize("variable", list(aggir.SUB_VARIABLE_KEYS))
def test_every_combination_of_sub_variables_gives_the_composite_and_the_gir(variable):
    keys = aggir.SUB_VARIABLE_KEYS[variable]
    base = {k: v for k, v in GOOD.items() if k != variable}
    combos = list(itertools.product("ABC", repeat=len(keys)))
    lines = [json.dumps({**base, **dict(zip(keys, values, strict=True))}) for values in combos]
    failures, results = _run(lines)
    assert failures == 0
    for values, result in zip(combos, results, strict=True):
        composite = _expected(variable, values)
        assert result["variables"][variable] == composite, values
        same_with_composite = aggir.evaluate({**base, variable: composite}).as_dict()
        assert {k: result[k] for k in ("gir", "rang", "groupe")} == same_with_composite


def test_all_sub_variables_at_once_with_the_issue_keys():
    line = {
        "coherence_communication": "A",
        "coherence_comportement": "A",
        "orientation_temps": "A",
        "orientation_espace": "A",
        "toilette_haut": "A",
        "toilette_bas": "A",
        "habillage_haut": "A",
        "habillage_moyen": "A",
        "habillage_bas": "A",
        "alimentation_se_servir": "A",
        "alimentation_manger": "C",
        "elimination_urinaire": "A",
        "elimination_fecale": "A",
        "transferts": "A",
        "deplacements_interieurs": "B",
        "deplacements_exterieurs": "A",
        "communication": "A",
    }
    failures, [result] = _run([json.dumps(line)])
    assert failures == 0
    assert result["gir"] == 5 and result["variables"]["alimentation"] == "B"


def test_composite_and_sub_variables_together_or_partial_are_errors():
    both = {**GOOD, "alimentation_se_servir": "A", "alimentation_manger": "A"}
    partial = {k: v for k, v in GOOD.items() if k != "habillage"} | {"habillage_haut": "A", "habillage_bas": "A"}
    bad_value = {k: v for k, v in GOOD.items() if k != "toilette"} | {"toilette_haut": "A", "toilette_bas": "X"}
    failures, results = _run([json.dumps(both), json.dumps(partial), json.dumps(bad_value)])
    assert failures == 3
    assert results[0] == {
        "error": "« alimentation » est donnée deux fois : la valeur composite ou ses sous-variables, pas les deux."
    }
    assert results[1] == {"error": "Sous-variables incomplètes pour « habillage » : manque habillage_moyen."}
    assert "sous-variables de « toilette »" in results[2]["error"]
