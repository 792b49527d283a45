"""CPU per page of the HTTP benchmark's mix, in-process, under the production settings: two versions alternated.

    uv run python bench/page_cpu.py [--compare /tmp/before] [--rounds 4] [--requests 40]

Each round runs, in a fresh process per version (this checkout, and `--compare DIR`: another checkout of the
code, on the same bench database), every page of the mix for the same actors (bench/http_load.py's choice),
`--requests` times each after a warm-up, and records the median thread CPU per request. Versions alternate
round by round, so a machine whose speed drifts (a shared VM: ±25 % within an hour, docs/performance.md) moves
both alike; the table gives each page's median over the rounds and its ratio to the baseline page
(`/healthz/moi`) of the same version. What it leaves out: the network, gunicorn, the load generator and the
queueing under load (`bench/http_load.py` measures those).

The HTTP bench server's environment (`http_load.server_env`: production settings, DEBUG off, its Redis database
emptied as each process starts), the Django test client (no sockets): requests go through every middleware,
templates and queries.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/trajectoire_bench"
PAGES = ["baseline", "dashboard", "mes_demandes", "dossier", "envoyer", "inbox", "famille", "observatoire", "annuaire"]


def measure(code_root: Path, database_url: str, requests: int, seed: int) -> dict[str, float]:
    """In this process: the median CPU (ms) per request of each page, code imported from `code_root`."""
    sys.path[:0] = [str(code_root), str(ROOT / "bench")]
    from http_load import pick_actors, server_env

    os.environ.update(server_env(database_url, "bench-page-cpu-" + "x" * 40, cache="redis"))  # the bench server's
    os.environ.update(ALLOWED_HOSTS="testserver")  # the test client's host
    os.environ.pop("BENCH_CPU_TIMING")  # its middleware times what this process times itself
    import django

    django.setup()
    from actors import ANNUAIRE_QUERIES, ensure_families, ensure_observatoire
    from django.test import Client

    from trajectoire.accounts.models import User

    rng = random.Random(seed)
    doctors, staff = pick_actors(3, 3, rng)
    (famille,), (observatoire,) = ensure_families(1, rng), ensure_observatoire(1)
    doctor, member = doctors[0], staff[0]
    urls = {
        "baseline": (doctor, "/healthz/moi"),
        "dashboard": (doctor, "/tableau-de-bord/"),
        "mes_demandes": (doctor, "/demandes/"),
        "dossier": (doctor, f"/dossiers/{doctor['dossiers'][0]}/"),
        "envoyer": (doctor, f"/demandes/dossier/{doctor['dossiers'][0]}/envoyer/"),
        "inbox": (member, "/demandes/recues/"),
        "famille": (famille, f"/usager/dossier/{famille['dossiers'][0]}/"),
        "observatoire": (observatoire, "/observatoire/"),
        "annuaire": ({"user": None}, f"/annuaire/?{ANNUAIRE_QUERIES[0]}"),
    }
    result = {}
    for page in PAGES:
        actor, url = urls[page]
        client = Client()
        if actor["user"]:
            client.force_login(User.objects.get(pk=actor["user"]))
        for _ in range(5):
            client.get(url)
        cpu = []
        for _ in range(requests):
            start = time.thread_time()
            response = client.get(url)
            cpu.append((time.thread_time() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{page}: HTTP {response.status_code} ({url})")
        result[page] = statistics.median(cpu)
    return result


def run_version(code_root: Path, args) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", str(code_root), "--database-url", args.database_url]
    command += ["--requests", str(args.requests), "--seed", str(args.seed)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=code_root, check=False)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{code_root}: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compare", type=Path, help="another checkout of the code (e.g. a git worktree)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child.resolve(), args.database_url, args.requests, args.seed)))
        return
    versions = {"this checkout": ROOT}
    if args.compare:
        versions = {f"compared ({args.compare})": args.compare.resolve(), **versions}
    runs: dict[str, list[dict]] = {name: [] for name in versions}
    for index in range(args.rounds):
        for name, root in versions.items():
            runs[name].append(run_version(root, args))
            print(f"round {index + 1}/{args.rounds}: {name} done", file=sys.stderr, flush=True)
    medians = {name: {p: statistics.median(r[p] for r in rounds) for p in PAGES} for name, rounds in runs.items()}
    names = list(versions)
    header = "| Page | " + " | ".join(f"{n}: CPU ms | × baseline" for n in names) + " |"
    lines = [header, "|---|" + "---|---|" * len(names)]
    for page in PAGES:
        cells = " | ".join(f"{medians[n][page]:.2f} | {medians[n][page] / medians[n]['baseline']:.2f}" for n in names)
        lines.append(f"| {page} | {cells} |")
    command = f"uv run python bench/page_cpu.py --rounds {args.rounds} --requests {args.requests}"
    if args.compare:
        command += f" --compare {args.compare}"
    print(f"`{command}` (median of {args.rounds} rounds, each the median of {args.requests} requests)\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
