"""FHIR API benchmark: worklist search and Task update against an authenticated `GET /fhir/metadata` baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/trajectoire_bench \\
        uv run python manage.py generate_volume [--scale 0.01]       # once
    DATABASE_URL=… uv run python bench/fhir_api.py [--rounds 200] [--write]

Server-side timings: requests go through the whole Django stack in-process (middleware, token lookup, rate
limit, queryset, serialisation, audit), without the network. Picks the structure with the most open demandes,
registers a client for it (revoked at the end), then per round: the baseline, the worklist
`GET /fhir/Task?status=requested,received&_include=Task:focus&_include=Task:patient&_count=20` and one Task
update (PATCH to « liste d’attente », each Task once, through demandes.services). Prints medians and the
ratio of each to the baseline, and the worker's side of each update (its `announce` task: notifications,
e-mails, Subscriptions, taken off the queue and run in-process after the rounds, timed apart: it is not part of
the request); `--write` appends the table to docs/performance.md. The updates change the
bench database (demandes put on the waiting list).

Settings: `config.settings.prod`, as `bench/run.py` serves the HTTP bench (a throwaway SECRET_KEY, the rate limit in
the cache below, tasks queued in the database, DEBUG off), with requests marked HTTPS as
the proxy does (`secure=True`, so SECURE_SSL_REDIRECT answers them). The test settings differ only by their
MD5 password hasher (used once, for the client's token), inline tasks (the bench queues them anyway) and
static storage; their medians were the same within the run-to-run noise. Only the rate limit's ceiling is
raised (`API_RATE_MAX_REQUESTS`): the bench's one client sends far more than a real one may.

Cache (`--cache`): production keeps the rate-limit counters in Redis (`REDIS_URL`, docs/production.md).
`auto` (default) uses Redis when one answers at 127.0.0.1:6379, in its own database number 5
(`redis://127.0.0.1:6379/5`, flushed before and after the run: only that database), else the database cache;
`redis` insists on it, `database` keeps the database cache table. A `REDIS_URL` already in the environment
is used as it is (never flushed). The table says which cache was measured.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import redis_db  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # throwaway, as bench/run.py
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # django.test.Client's host
os.environ.setdefault("API_RATE_MAX_REQUESTS", "100000000")
os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")  # as in production: side effects queued
CS = "https://trajectoire.sante.fr/fhir/CodeSystem/statut-demande"
BENCH_REDIS = "redis://127.0.0.1:6379/5"  # a database number of its own, flushed around the run


def choose_cache(choice: str) -> str:
    """Sets REDIS_URL (before Django reads its settings) and says which cache the run measures."""
    if os.environ.get("REDIS_URL"):
        return "redis (REDIS_URL)"
    if choice == "database" or (choice == "auto" and not redis_db.answers(BENCH_REDIS)):
        return "database"
    if not redis_db.answers(BENCH_REDIS):
        raise SystemExit(f"Redis ne répond pas à {BENCH_REDIS}.")
    os.environ["REDIS_URL"] = BENCH_REDIS
    _flush_bench_redis()
    return "redis (127.0.0.1:6379/5)"


def _flush_bench_redis() -> None:
    if os.environ.get("REDIS_URL") == BENCH_REDIS:  # never a REDIS_URL given from outside
        redis_db.flush(BENCH_REDIS)


def setup():
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from trajectoire.api.clients import create_client
    from trajectoire.demandes.enums import Statut
    from trajectoire.demandes.models import Demande

    busiest = (
        Demande.objects.filter(statut__in=[Statut.ENVOYEE, Statut.LUE])
        .values("structure")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("Aucune demande ouverte : lancez d’abord manage.py generate_volume.")
    from trajectoire.directory.models import Structure

    structure = Structure.objects.get(pk=busiest["structure"])
    client, secret = create_client("Banc FHIR", structure=structure)
    http = Client()
    token = http.post(
        "/fhir/auth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=_basic(client, secret),
        secure=True,
    )
    return client, http, {"HTTP_AUTHORIZATION": f"Bearer {token.json()['access_token']}", "secure": True}, busiest["n"]


def _basic(client, secret):
    import base64

    return "Basic " + base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    response = call()
    return (time.perf_counter() - start) * 1000, response


def run(rounds: int) -> tuple[dict, int]:
    client, http, auth, open_count = setup()
    worklist = "/fhir/Task?status=requested,received&_include=Task:focus&_include=Task:patient&_count=20"
    results: dict[str, list[float]] = {"baseline": [], "worklist": [], "update": [], "announce": []}
    updated: list[int] = []
    from django.utils import timezone

    started = timezone.now()
    patch = [
        {"op": "replace", "path": "/status", "value": "on-hold"},
        {"op": "replace", "path": "/businessStatus", "value": {"coding": [{"system": CS, "code": "liste_attente"}]}},
    ]
    import json

    try:
        for _ in range(rounds):
            ms, response = timed(lambda: http.get("/fhir/metadata", **auth))
            assert response.status_code == 200, response.content[:300]
            results["baseline"].append(ms)
            ms, response = timed(lambda: http.get(worklist, **auth))
            assert response.status_code == 200, response.content[:300]
            results["worklist"].append(ms)
            tasks = [e["resource"]["id"] for e in response.json()["entry"] if e["search"]["mode"] == "match"]
            if tasks:
                ms, response = timed(
                    lambda tid=tasks[0]: http.patch(
                        f"/fhir/Task/{tid}", json.dumps(patch), content_type="application/json-patch+json", **auth
                    )
                )
                assert response.status_code == 200, response.content[:300]
                results["update"].append(ms)
                updated.append(int(tasks[0]))
        results["announce"] = announce_times(updated, started)
    finally:
        from trajectoire.api.clients import revoke_client

        revoke_client(client)
        _flush_bench_redis()
    return results, open_count


def announce_times(demande_ids: list[int], since) -> list[float]:
    """The worker's side of each update (`demandes.tasks.announce`: notifications, e-mails, Subscriptions), off
    the request: the tasks the run queued are taken off the queue and run here, timed one by one."""
    from django.db import transaction
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from trajectoire.demandes.services import announce_now

    queued = DBTaskResult.objects.filter(task_path="trajectoire.demandes.tasks.announce", status=TaskResultStatus.READY)
    queued.filter(enqueued_at__gte=since).delete()
    times = []
    for pk in demande_ids:
        with transaction.atomic():
            ms, _ = timed(lambda pk=pk: announce_now("mettre_en_attente", [pk]))
        times.append(ms)
    return times


def table(results: dict, open_count: int, rounds: int, cache: str = "") -> str:
    from django.db import connection

    base = statistics.median(results["baseline"])
    labels = {
        "baseline": "GET /fhir/metadata (authentifié, référence)",
        "worklist": "GET /fhir/Task (worklist, 20 + _include)",
        "update": "PATCH /fhir/Task/<id> (liste d’attente)",
        "announce": "… son annonce par le worker (hors requête)",
    }
    lines = [
        f"FHIR API — {connection.vendor}, cache {cache}, {rounds} tours, structure la plus chargée "
        f"({open_count} demandes ouvertes)",
        "",
        "| Requête | n | médiane (ms) | p90 (ms) | ratio / référence |",
        "|---|---|---|---|---|",
    ]
    for key, values in results.items():
        if not values:
            continue
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) >= 10 else max(values)
        median = statistics.median(values)
        lines.append(f"| {labels[key]} | {len(values)} | {median:.1f} | {p90:.1f} | {median / base:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="append the table to docs/performance.md")
    parser.add_argument(
        "--cache",
        choices=["auto", "redis", "database"],
        default="auto",
        help="rate-limit cache: Redis at 127.0.0.1:6379/5 when it answers (auto), or insist, or the database",
    )
    args = parser.parse_args()
    cache = choose_cache(args.cache)
    results, open_count = run(args.rounds)
    text = table(results, open_count, args.rounds, cache)
    print(text)
    if args.write:
        with (ROOT / "docs" / "performance.md").open("a", encoding="utf-8") as out:
            out.write("\n\n## API FHIR (bench/fhir_api.py)\n\n" + text + "\n")


if __name__ == "__main__":
    main()
