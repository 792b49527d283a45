"""Benchmark of the annuaire search on the whole of France, on SQLite and PostgreSQL.

    uv run python bench/directory_search.py            # both databases
    uv run python bench/directory_search.py --only sqlite

Rerunnable: each database (var/bench-directory.sqlite3, PostgreSQL `trajectoire_bench_directory`) is
migrated and filled with all of France (communes, 95,333 FINESS establishments, CNSA prices) only when
empty; the import time is printed then. SMR units of one private SMR establishment in two get the mention
locomoteur, deterministically. Times are server-side (the service call, no HTTP), median of N runs,
with the ratio to a baseline: one indexed lookup of a structure by FINESS number.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench-directory.sqlite3'}",
    "postgresql": "postgres://postgres@127.0.0.1:5432/trajectoire_bench_directory",
}
RUNS = 50


def _ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _timed(func, runs: int = RUNS) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    func()  # warm-up
    with CaptureQueriesContext(connection) as queries:
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), len(queries)


def _fill() -> dict:
    from django.conf import settings
    from django.core.management import call_command

    from trajectoire.directory.importers.communes import import_communes
    from trajectoire.directory.importers.finess import import_finess
    from trajectoire.directory.importers.prix import import_prix_ehpad
    from trajectoire.directory.models import Structure, Unite

    call_command("migrate", verbosity=0)
    info = {}
    if Structure.objects.count() < 95_000:
        start = time.perf_counter()
        import_communes()
        for path in sorted((Path(settings.REFERENCE_DATA_DIR) / "finess").glob("etab*.tar.gz")):
            import_finess(path)
        import_prix_ehpad()
        info["import_s"] = round(time.perf_counter() - start, 1)
        smr = Unite.objects.filter(structure_type="smr").order_by("structure__finess")
        for i, unit in enumerate(smr):
            if i % 2 == 0:
                unit.mentions_smr = ["locomoteur"]
                unit.free_places = i % 5
                unit.save(update_fields=["mentions_smr", "free_places"])
    info["structures"] = Structure.objects.count()
    return info


def worker(url: str) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from trajectoire.directory.models import Structure
    from trajectoire.directory.search import Criteres, search

    info = _fill()
    finess = Structure.objects.order_by("pk").values_list("finess", flat=True)[50_000]
    ehpad = Criteres(structure_type="ehpad", insee="69381", radius_km=30, gir=2)
    smr = Criteres(structure_type="smr", insee="69381", radius_km=100, mention_smr="locomoteur")
    ehpad_paris = Criteres(structure_type="ehpad", commune="Paris 15", radius_km=30, gir=2)
    cases = {
        "baseline: Structure by FINESS (indexed)": lambda: Structure.objects.get(finess=finess),
        "EHPAD ≤ 30 km of Lyon 1er (GIR 2 costs)": lambda: search(ehpad),
        "SMR locomoteur ≤ 100 km of Lyon 1er": lambda: search(smr),
        "EHPAD ≤ 30 km of Paris 15e (densest)": lambda: search(ehpad_paris),
    }
    results = {}
    for name, func in cases.items():
        median, queries = _timed(func)
        outcome = func()
        found = f"{outcome.total} / {len(outcome.exclus)}" if hasattr(outcome, "total") else "1"
        results[name] = {"median_ms": round(median, 3), "queries": queries, "found": found}
    return {"info": info, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=list(TARGETS))
    parser.add_argument("--worker")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    (ROOT / "var").mkdir(exist_ok=True)
    for engine, url in TARGETS.items():
        if args.only and args.only != engine:
            continue
        if engine == "postgresql":
            _ensure_pg_database(url)
        command = [sys.executable, __file__, "--worker", url]
        out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 (our own script)
        data = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"\n## {engine} — {data['info']['structures']} structures", end="")
        print(f" (imported now in {data['info']['import_s']} s)" if "import_s" in data["info"] else "")
        base = next(iter(data["results"].values()))["median_ms"]
        print(f"{'case':<45} {'median ms':>10} {'× baseline':>11} {'queries':>8} {'results / excluded':>19}")
        for name, r in data["results"].items():
            ratio = r["median_ms"] / base if base else 0
            print(f"{name:<45} {r['median_ms']:>10.2f} {ratio:>11.1f} {r['queries']:>8} {r['found']:>19}")


if __name__ == "__main__":
    main()
