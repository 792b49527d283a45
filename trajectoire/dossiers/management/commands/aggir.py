"""`manage.py aggir`: JSON lines in (the ten AGGIR variables), JSON lines out (GIR, rang, groupe, variables).

A split variable (cohérence, orientation, toilette, habillage, alimentation, élimination) is given either as
its composite value or as all of its sub-variables (`alimentation_se_servir`, `alimentation_manger`…); the
output's `variables` holds the ten composite values used. A bad line writes `{"error": "…"}` and the
command goes on; the exit code is 1 if any line failed.
Reads and writes buffered binary streams: a million lines take a few seconds.
"""

import json
import sys

from django.core.management.base import BaseCommand

from trajectoire.dossiers.aggir import MODALITES, VARIABLES, AggirError, _evaluate, line_indexes

_loads = json.loads
_dumps = json.dumps


def _line_result(raw: bytes, cache: dict) -> tuple[bytes, bool]:
    cached = cache.get(raw)
    if cached is not None:
        return cached
    try:
        data = _loads(raw)
    except ValueError:
        out = (_error("JSON invalide."), False)
    else:
        if not isinstance(data, dict):
            out = (_error("Un objet JSON est attendu, avec les clés " + ", ".join(VARIABLES) + "."), False)
        else:
            try:
                out = (_result_line(line_indexes(data)), True)
            except AggirError as exc:
                out = (_error(str(exc)), False)
    if len(cache) < 100_000:
        cache[raw] = out
    return out


_RESULT_LINES: dict = {}


def _result_line(modalites: tuple) -> bytes:
    """The output line of a profile, serialised once per profile (3^10 at most)."""
    line = _RESULT_LINES.get(modalites)
    if line is None:
        result = _evaluate(modalites).as_dict()
        result["variables"] = {name: MODALITES[m] for name, m in zip(VARIABLES, modalites, strict=True)}
        line = _RESULT_LINES[modalites] = _dumps(result).encode() + b"\n"
    return line


def _error(message: str) -> bytes:
    return _dumps({"error": message}, ensure_ascii=False).encode() + b"\n"


def run(stdin, stdout) -> int:
    """Process every line of `stdin` (binary) into `stdout` (binary); return the number of failures."""
    failures = 0
    cache: dict = {}
    write = stdout.write
    batch = []
    for raw in stdin:
        raw = raw.strip()
        if not raw:
            continue
        out, ok = _line_result(raw, cache)
        if not ok:
            failures += 1
        batch.append(out)
        if len(batch) >= 4096:
            write(b"".join(batch))
            batch.clear()
    write(b"".join(batch))
    stdout.flush()
    return failures


class Command(BaseCommand):
    help = "Calcule le GIR (grille AGGIR) de chaque ligne JSON lue sur l’entrée standard."
    requires_system_checks: list = []  # a pure computation: start fast, even while another app is mid-change

    def handle(self, *args, **options):
        stdin = getattr(sys.stdin, "buffer", sys.stdin)
        stdout = getattr(sys.stdout, "buffer", sys.stdout)
        failures = run(stdin, stdout)
        if failures:
            sys.stderr.write(f"{failures} ligne(s) en erreur.\n")
            sys.exit(1)
