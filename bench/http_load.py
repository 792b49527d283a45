"""HTTP load benchmark against the production-like server on the national volume (rerunnable; not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/trajectoire_bench \\
        uv run python manage.py generate_volume            # once (minutes)
    uv run python bench/http_load.py --users 50 --duration 60

Starts gunicorn (config.settings.prod, 2 workers, deploy/gunicorn.conf.py) on loopback over the bench
database, opens sessions directly in the database (SessionStore) for doctors who wrote dossiers and for
admissions staff of structures with pending demandes, then runs N virtual users (async httpx, this
process) for a bounded time. Doctors: dashboard, « Mes demandes », a dossier page, the search page from
a dossier. Staff: dashboard, inbox, putting a pending demande on the waiting list (POST with CSRF).
Everybody: the baseline `/healthz/moi` (session + user, nothing else). Prints one row per endpoint with
the ratio of its median to the baseline's median, the peak RSS of each worker; `--write` appends the
table to docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/trajectoire_bench"
BASELINE = "baseline /healthz/moi"
DOCTOR_MIX = [("dashboard", 3), ("mes_demandes", 2), ("dossier", 3), ("envoyer", 1), ("baseline", 2)]
STAFF_MIX = [("dashboard", 2), ("inbox", 4), ("status_change", 1), ("baseline", 2)]
LABELS = {
    "baseline": BASELINE,
    "dashboard": "GET /tableau-de-bord/",
    "mes_demandes": "GET /demandes/ (mes demandes)",
    "dossier": "GET /dossiers/<id>/",
    "envoyer": "GET /demandes/dossier/<id>/envoyer/",
    "inbox": "GET /demandes/recues/",
    "status_change": "POST /demandes/<id>/mettre_en_attente/",
}


def server_env(database_url: str, secret: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DATABASE_URL=database_url,
        SECRET_KEY=secret,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        PYTHONUNBUFFERED="1",
    )
    return env


# Actors --------------------------------------------------------------------------------------------------


def pick_actors(doctors: int, staff: int, rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Doctors with sent dossiers; admissions staff of structures with demandes waiting for an answer."""
    from django.db import connection

    from trajectoire.accounts.models import Membership
    from trajectoire.demandes.enums import Statut
    from trajectoire.demandes.models import Demande
    from trajectoire.dossiers.models import Dossier

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM dossiers_dossier")
        low, high = cursor.fetchone()
    ids = [rng.randint(low, high) for _ in range(doctors * 20)]
    by_doctor: dict[int, list[int]] = defaultdict(list)
    for pk, author in Dossier.objects.filter(pk__in=ids, statut="transmis").values_list("pk", "created_by_id"):
        by_doctor[author].append(pk)
    doctor_actors = [{"user": u, "dossiers": d} for u, d in list(by_doctor.items())[:doctors]]

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM demandes_demande")
        low, high = cursor.fetchone()
    sample = [rng.randint(low, high) for _ in range(staff * 200)]
    answerable = [Statut.ENVOYEE, Statut.LUE, Statut.COMPLETEE]
    structures = set(
        Demande.objects.filter(pk__in=sample, statut__in=answerable).values_list("structure_id", flat=True)
    )
    members = (
        Membership.objects.active()
        .filter(structure_id__in=structures, is_admissions=True)
        .values_list("user_id", "structure_id")
    )
    staff_actors = []
    for user_id, structure_id in members:
        pending = Demande.objects.filter(structure_id=structure_id, statut__in=answerable).values_list("pk", flat=True)
        staff_actors.append({"user": user_id, "pending": list(pending[:50])})
        if len(staff_actors) == staff:
            break
    return doctor_actors, staff_actors


def open_sessions(actors: list[dict]) -> None:
    """Log the actors in the way proauth.sessions.open_session does, without a login form."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from trajectoire.accounts.models import User
    from trajectoire.proauth.sessions import LAST_SEEN, MEANS, STARTED

    users = User.objects.in_bulk([a["user"] for a in actors])
    for actor in actors:
        user = users[actor["user"]]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[MEANS], session[STARTED], session[LAST_SEEN] = "password", time.time(), time.time()
        session.create()
        actor["cookies"] = {"sessionid": session.session_key, "csrftoken": secrets.token_hex(16)}


# Load ----------------------------------------------------------------------------------------------------


def request_for(kind: str, actor: dict, rng: random.Random) -> tuple[str, str, dict | None]:
    if kind == "baseline":
        return "GET", "/healthz/moi", None
    if kind == "dashboard":
        return "GET", "/tableau-de-bord/", None
    if kind == "mes_demandes":
        return "GET", "/demandes/", None
    if kind == "dossier":
        return "GET", f"/dossiers/{rng.choice(actor['dossiers'])}/", None
    if kind == "envoyer":
        return "GET", f"/demandes/dossier/{rng.choice(actor['dossiers'])}/envoyer/", None
    if kind == "inbox":
        return "GET", "/demandes/recues/", None
    if actor["pending"]:
        return "POST", f"/demandes/{actor['pending'].pop()}/mettre_en_attente/", {"attente-message": ""}
    return "GET", "/demandes/recues/", None


async def virtual_user(base, actor, mix, deadline, think, results, rng) -> None:
    import httpx

    kinds, weights = zip(*mix, strict=True)
    headers = {"X-CSRFToken": actor["cookies"]["csrftoken"]}
    async with httpx.AsyncClient(base_url=base, cookies=actor["cookies"], headers=headers, timeout=30) as client:
        await asyncio.sleep(rng.uniform(0, think or 0.1))
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            method, path, data = request_for(kind, actor, rng)
            start = time.perf_counter()
            response = await client.request(method, path, data=data, follow_redirects=False)
            elapsed = (time.perf_counter() - start) * 1000
            expected = 302 if method == "POST" else 200
            results[kind].append((elapsed, response.status_code == expected))
            if think:
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def run_load(base, doctors, staff, users, duration, think, seed) -> dict:
    rng = random.Random(seed)
    results: dict[str, list] = defaultdict(list)
    deadline = time.monotonic() + duration
    actors = [(a, DOCTOR_MIX) for a in doctors] + [(a, STAFF_MIX) for a in staff]
    tasks = [
        virtual_user(base, actor, mix, deadline, think, results, random.Random(rng.random()))
        for actor, mix in (actors * (users // len(actors) + 1))[:users]
    ]
    await asyncio.gather(*tasks)
    return results


# Server and memory ---------------------------------------------------------------------------------------


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class MemorySampler(threading.Thread):
    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master, self.peak, self.stop = master, {}, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.25):
            for pid in children(self.master):
                self.peak[pid] = max(self.peak.get(pid, 0), rss_kb(pid))


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    import httpx

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "deploy/gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "/dev/null"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"gunicorn did not start: {proc.stderr.read().decode()[-2000:]}")


# Report --------------------------------------------------------------------------------------------------


def table(results: dict, duration: float) -> tuple[str, list[dict]]:
    rows = []
    base_median = statistics.median(t for t, _ in results["baseline"]) if results["baseline"] else None
    for kind in LABELS:
        samples = results.get(kind)
        if not samples:
            continue
        times = sorted(t for t, _ in samples)
        median = statistics.median(times)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        errors = sum(1 for _, ok in samples if not ok)
        ratio = median / base_median if base_median else float("nan")
        rows.append({"kind": kind, "n": len(times), "median": median, "p95": p95, "errors": errors, "ratio": ratio})
    lines = [
        "| Endpoint | requests | errors | median ms | p95 ms | req/s | × baseline median |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {LABELS[r['kind']]} | {r['n']} | {r['errors']} | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['n'] / duration:.1f} | {r['ratio']:.2f} |"
        )
    total = sum(r["n"] for r in rows)
    lines.append(f"| **all** | {total} | {sum(r['errors'] for r in rows)} | | | {total / duration:.1f} | |")
    return "\n".join(lines), rows


def generation_summary() -> str:
    """Import and generation times from the newest `generate_volume` log in var/ (see docs/performance.md)."""
    logs = sorted((ROOT / "var").glob("generate_volume*.log"), key=lambda p: p.stat().st_mtime)
    if not logs:
        return "no var/generate_volume*.log: import and generation times not recorded"
    keep = ("import_", "professionnels", "patients 1", "index", "séquences", "Volume généré", "statuts")
    lines = [line.strip() for line in logs[-1].read_text().splitlines() if line.strip().startswith(keep)]
    return f"{logs[-1].name}:\n  " + "\n  ".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--users", type=int, default=50, help="concurrent virtual users (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between requests, s (0: none)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="append the result to docs/performance.md")
    args = parser.parse_args()

    secret = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
    env = server_env(args.database_url, secret)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    doctors, staff = pick_actors(max(1, args.users * 3 // 5), max(1, args.users * 2 // 5), rng)
    open_sessions(doctors + staff)
    print(generation_summary())
    print(
        f"{len(doctors)} médecins, {len(staff)} membres de structure connectés ({time.perf_counter() - started:.1f} s)"
    )
    started = time.perf_counter()
    proc = start_server(env, args.port, args.workers)
    print(f"gunicorn prêt sur :{args.port} ({time.perf_counter() - started:.1f} s, collectstatic compris)")
    sampler = MemorySampler(proc.pid)
    sampler.start()
    try:
        base = f"http://127.0.0.1:{args.port}"
        asyncio.run(run_load(base, doctors, staff, args.users, 5, args.think, args.seed + 1))  # warm-up
        results = asyncio.run(run_load(base, doctors, staff, args.users, args.duration, args.think, args.seed))
    finally:
        sampler.stop.set()
        proc.terminate()
        proc.wait(timeout=30)
    report, _ = table(results, args.duration)
    memory = ", ".join(f"{kb / 1024:.0f} MiB" for pid, kb in sorted(sampler.peak.items()))
    command = (
        f"uv run python bench/http_load.py --users {args.users} --duration {args.duration:g} --think {args.think:g}"
    )
    text = f"`{command}`\n\n{report}\n\nPeak RSS per gunicorn worker: {memory}.\n"
    print(text)
    if args.write:
        with (ROOT / "docs" / "performance.md").open("a") as docs:
            docs.write(f"\n### Run of {time.strftime('%Y-%m-%d %H:%M')}\n\n{text}")


if __name__ == "__main__":
    main()
