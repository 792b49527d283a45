"""`manage.py aggir`: JSON lines in, JSON lines out; bad lines explained, exit code non-zero."""

import io
import json
import subprocess
import sys
from pathlib import Path

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
    assert results == [{"gir": 4, "rang": 11, "groupe": "H"}, {"gir": 1, "rang": 1, "groupe": "A"}]


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
    assert results[4] == {"gir": 4, "rang": 11, "groupe": "H"}


def test_exit_code_of_the_real_command():
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"}
    good = subprocess.run(
        [sys.executable, str(manage), "aggir"], input=json.dumps(GOOD) + "\n", capture_output=True, text=True, env=env
    )
    assert good.returncode == 0
    assert json.loads(good.stdout) == {"gir": 4, "rang": 11, "groupe": "H"}
    bad = subprocess.run(
        [sys.executable, str(manage), "aggir"],
        input="oops\n" + json.dumps(GOOD) + "\n",
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[1] == '{"gir": 4, "rang": 11, "groupe": "H"}'
    assert "1 ligne(s) en erreur" in bad.stderr
