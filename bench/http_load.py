"""HTTP load benchmark against the production-like server on the national volume (rerunnable; not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/trajectoire_bench \\
        uv run python manage.py generate_volume            # once (minutes)
    uv run python bench/http_load.py --users 50 --duration 60

Starts gunicorn (config.settings.prod, 2 workers, deploy/gunicorn.conf.py) on loopback over the bench
database, with the cache production runs: Redis (`REDIS_URL`, docs/production.md) when one answers on
127.0.0.1:6379 (its database 6, emptied first), else the database cache (`--cache database` forces it).
It opens sessions directly (SessionStore, the server's engine) for doctors who wrote dossiers and for
admissions staff of structures with pending demandes, then runs N virtual users (async httpx, this
process) for a bounded time. Doctors: dashboard, « Mes demandes », a dossier page, the search page from
a dossier. Staff: dashboard, inbox, putting a pending demande on the waiting list (POST with CSRF).
Everybody: the baseline `/healthz/moi` (session + user, nothing else). The task worker (`db_worker`) runs
beside gunicorn, as in production: the work requests queue (notifications, Subscriptions, e-mails) is done
during the load. Prints one row per endpoint with the ratio of its median to the baseline's median, the peak
RSS of each worker, the task worker's CPU and tasks; `--write` appends the table to docs/performance.md.
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
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/trajectoire_bench"
BENCH_REDIS = "redis://127.0.0.1:6379/6"  # a database of its own: emptied before each run
BASELINE = "baseline /healthz/moi"
DOCTOR_MIX = [("dashboard", 3), ("mes_demandes", 2), ("dossier", 3), ("envoyer", 1), ("baseline", 2)]
STAFF_MIX = [("dashboard", 2), ("inbox", 4), ("status_change", 1), ("baseline", 2)]
FAMILY_MIX = [("famille_dossier", 3), ("baseline", 1)]
OBSERVATOIRE_MIX = [("observatoire", 1), ("baseline", 1)]
VISITOR_MIX = [("annuaire", 1)]
MIX_NAMES = {
    id(DOCTOR_MIX): "médecins",
    id(STAFF_MIX): "admissions",
    id(FAMILY_MIX): "familles",
    id(OBSERVATOIRE_MIX): "observatoire",
    id(VISITOR_MIX): "annuaire",
}
# Share of the virtual users per kind of actor (doctors, staff, families, observatoire, annuaire visitors).
SHARES = {"doctors": 0.48, "staff": 0.28, "families": 0.12, "observatoire": 0.04, "visitors": 0.08}
import redis_db  # noqa: E402
from actors import ANNUAIRE_QUERIES  # noqa: E402

LABELS = {
    "baseline": BASELINE,
    "dashboard": "GET /tableau-de-bord/",
    "mes_demandes": "GET /demandes/ (mes demandes)",
    "dossier": "GET /dossiers/<id>/",
    "envoyer": "GET /demandes/dossier/<id>/envoyer/",
    "inbox": "GET /demandes/recues/",
    "status_change": "POST /demandes/<id>/mettre_en_attente/",
    "famille_dossier": "GET /usager/dossier/<id>/ (famille)",
    "observatoire": "GET /observatoire/",
    "annuaire": "GET /annuaire/?commune=… (public)",
}


def server_env(database_url: str, secret: str, cache: str = "database") -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    if cache == "redis":
        redis_db.flush(BENCH_REDIS)
        env["REDIS_URL"] = BENCH_REDIS
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
        BENCH_CPU_TIMING="1",  # X-Cpu-Ms header: server CPU per request (core.middleware.CpuTimeMiddleware)
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
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # the server's store

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
    if kind == "famille_dossier":
        return "GET", f"/usager/dossier/{rng.choice(actor['dossiers'])}/", None
    if kind == "observatoire":
        return "GET", "/observatoire/", None
    if kind == "annuaire":
        return "GET", f"/annuaire/?{rng.choice(ANNUAIRE_QUERIES)}", None
    if actor["pending"]:
        return "POST", f"/demandes/{actor['pending'].pop()}/mettre_en_attente/", {"attente-message": ""}
    return "GET", "/demandes/recues/", None


async def virtual_user(client, actor, mix, deadline, think, results, rng, first_each=False) -> None:
    """`first_each` (the warm-up): every page of the mix once, in order, before the random mix — each actor's
    first view of a page (an observatoire's aggregates, a structure's usual delay) is then out of the measure."""
    import httpx

    kinds, weights = zip(*mix, strict=True)
    first = list(kinds) if first_each else []
    await asyncio.sleep(rng.uniform(0, think or 0.1))
    while first or time.monotonic() < deadline:
        kind = first.pop(0) if first else rng.choices(kinds, weights)[0]
        method, path, data = request_for(kind, actor, rng)
        start = time.perf_counter()
        try:
            response = await client.request(method, path, data=data, follow_redirects=False)
        except httpx.TransportError as exc:  # a dropped connection is an error of this request, not of the bench
            results[kind].append(((time.perf_counter() - start) * 1000, False, float("nan")))
            FAILURES[(kind, type(exc).__name__)] += 1
            continue
        elapsed = (time.perf_counter() - start) * 1000
        TIMELINE.append((start, elapsed, kind))
        expected = 302 if method == "POST" else 200
        cpu = float(response.headers.get("X-Cpu-Ms", "nan"))
        results[kind].append((elapsed, response.status_code == expected, cpu))
        if response.status_code != expected:
            FAILURES[(kind, f"HTTP {response.status_code}")] += 1
        if think:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


def _client(base: str, actor: dict):
    import httpx

    cookies = actor.get("cookies", {})
    headers = {"X-CSRFToken": cookies["csrftoken"]} if cookies else {}
    return httpx.AsyncClient(base_url=base, cookies=cookies, headers=headers, timeout=30)


async def run_load(base, actors, duration, think, seed, first_each=False) -> dict:
    """`actors`: (actor, mix) pairs, one virtual user each. The clients are made before any user starts: made
    one after the other (≈ 20 ms each, an SSL context apiece), they held the event loop while the users' first
    pauses ran out, and 40 of 50 users then sent their first request in the same 10 ms — a burst no real
    audience makes, which was the worst p95 of every run (first 5 s of --timeline: p95 250–420 ms)."""
    TIMELINE.clear()
    rng = random.Random(seed)
    results: dict[str, list] = defaultdict(list)
    clients = [_client(base, actor) for actor, _ in actors]
    try:
        deadline = time.monotonic() + duration
        tasks = [
            virtual_user(client, actor, mix, deadline, think, results, random.Random(rng.random()), first_each)
            for client, (actor, mix) in zip(clients, actors, strict=True)
        ]
        await asyncio.gather(*tasks)
    finally:
        for client in clients:
            await client.aclose()
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


def start_server(env: dict, port: int, workers: int, root: Path = ROOT) -> subprocess.Popen:
    """gunicorn from `root` (this checkout, or another version of the code to compare with, same database)."""
    import httpx

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=root, env=env, check=True
    )
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "deploy/gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "/dev/null"]
    proc = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"gunicorn did not start: {proc.stderr.read().decode()[-2000:]}")


def start_worker(env: dict, root: Path = ROOT) -> subprocess.Popen:
    """The task worker beside gunicorn, as `make run` and production run it: what requests queue (a transition's
    notifications and Subscriptions, `demandes.tasks.announce`; e-mails) is done during the load, on the same
    two cores. Tasks left queued by earlier runs (which had no worker) are dropped first, so the worker does
    this run's work only. E-mails go to Django's in-memory backend (no SMTP server here)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status=TaskResultStatus.READY).delete()  # this process: the same database
    worker_env = {**env, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay"]
    return subprocess.Popen(command, cwd=root, env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tasks_done_since(moment) -> Counter:
    """Tasks the worker finished since `moment`, by task (the bench database)."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(finished_at__gte=moment).values_list("task_path", flat=True)
    return Counter(path.rpartition(".")[2] for path in rows)


FAILURES: Counter = Counter()  # (endpoint kind, HTTP status or exception name) of each failed request
TIMELINE: list = []  # (start, elapsed ms, endpoint kind) of each request of the last load (--timeline)


# Report --------------------------------------------------------------------------------------------------


def _summary(samples: list) -> dict:
    times = sorted(t for t, _, _ in samples)
    cpus = sorted(c for _, _, c in samples if c == c)  # NaN when the header is missing (errors)
    return {
        "n": len(times),
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
        "errors": sum(1 for _, ok, _ in samples if not ok),
        "cpu": statistics.median(cpus) if cpus else float("nan"),
    }


def table(results: dict, duration: float) -> tuple[str, list[dict]]:
    """One row per endpoint: wall time (median, p95) and server CPU time, each with its ratio to the baseline."""
    rows = [{"kind": kind, **_summary(results[kind])} for kind in LABELS if results.get(kind)]
    base = next((r for r in rows if r["kind"] == "baseline"), None)
    lines = [
        "| Endpoint | requests | errors | median ms | p95 ms | × baseline median | CPU ms (median) | × baseline CPU |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        r["ratio"] = r["median"] / base["median"] if base else float("nan")
        r["cpu_ratio"] = r["cpu"] / base["cpu"] if base and base["cpu"] else float("nan")
        lines.append(
            f"| {LABELS[r['kind']]} | {r['n']} | {r['errors']} | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['ratio']:.2f} | {r['cpu']:.1f} | {r['cpu_ratio']:.2f} |"
        )
    total = sum(r["n"] for r in rows)
    worst = max((r["p95"] for r in rows), default=float("nan"))
    lines.append(
        f"| **all** ({total / duration:.1f} req/s) | {total} | {sum(r['errors'] for r in rows)} | | {worst:.1f} | | | |"
    )
    if FAILURES:
        lines.append("")
        lines.append("Errors: " + ", ".join(f"{LABELS[k]} → {what} × {n}" for (k, what), n in sorted(FAILURES.items())))
    return "\n".join(lines), rows


def timeline(step: float = 5.0) -> str:
    """--timeline: requests, median, p95 and slowest request per `step` seconds of the load, to tell a steady
    queue (every slice slow) from a burst (one slice: a cold cache, a checkpoint, another process)."""
    if not TIMELINE:
        return ""
    origin = min(start for start, _, _ in TIMELINE)
    slices: dict[int, list] = defaultdict(list)
    for start, elapsed, kind in TIMELINE:
        slices[int((start - origin) // step)].append((elapsed, kind))
    lines = ["| from s | requests | median ms | p95 ms | slowest |", "|---|---|---|---|---|"]
    for index in sorted(slices):
        times = sorted(e for e, _ in slices[index])
        slowest, kind = max(slices[index])
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        lines.append(
            f"| {index * step:g} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} "
            f"| {slowest:.0f} ms ({LABELS[kind]}) |"
        )
    return "\n".join(lines)


def generation_summary() -> str:
    """Import and generation times from the newest `generate_volume` log in var/ (see docs/performance.md)."""
    logs = sorted((ROOT / "var").glob("generate_volume*.log"), key=lambda p: p.stat().st_mtime)
    if not logs:
        return "no var/generate_volume*.log: import and generation times not recorded"
    keep = ("import_", "professionnels", "patients 1", "index", "séquences", "Volume généré", "statuts")
    lines = [line.strip() for line in logs[-1].read_text().splitlines() if line.strip().startswith(keep)]
    return f"{logs[-1].name}:\n  " + "\n  ".join(lines)


def prepare_actors(users: int, rng: random.Random) -> list[tuple[dict, list]]:
    """The virtual users (SHARES of each kind), logged in when they have an account."""
    from actors import anonymous, ensure_families, ensure_observatoire

    wanted = {kind: max(1, round(users * share)) for kind, share in SHARES.items()}
    wanted["doctors"] = max(1, users - sum(n for kind, n in wanted.items() if kind != "doctors"))
    doctors, staff = pick_actors(wanted["doctors"], wanted["staff"], rng)
    families = ensure_families(wanted["families"], rng)
    observatoire = ensure_observatoire(wanted["observatoire"])
    open_sessions(doctors + staff + families + observatoire)
    groups = [(doctors, DOCTOR_MIX), (staff, STAFF_MIX), (families, FAMILY_MIX), (observatoire, OBSERVATOIRE_MIX)]
    pairs = [(actor, mix) for group, mix in groups for actor in group]
    pairs += [(actor, VISITOR_MIX) for actor in anonymous(wanted["visitors"])]
    return pairs[:users]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--users", type=int, default=50, help="concurrent virtual users (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between requests, s (0: none)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="append the result to docs/performance.md")
    parser.add_argument("--timeline", action="store_true", help="latency per 5 s of the load (bursts vs queue)")
    parser.add_argument("--exclude", action="append", default=[], help="leave an endpoint kind out of the mix")
    parser.add_argument("--server-root", type=Path, default=ROOT, help="serve another checkout (before/after)")
    parser.add_argument(
        "--cache",
        choices=["redis", "database"],
        default=None,
        help="the server's cache (default: Redis when 127.0.0.1:6379 answers, as in production)",
    )
    return parser.parse_args()


def serve_and_load(args, env: dict, actors: list) -> tuple[dict, dict, str]:
    """gunicorn and the task worker up, a warm-up (every page of each actor once, then 5 s of the mix), the
    measured load, both down: the results, each gunicorn worker's peak RSS and what the task worker did during
    the measured load."""
    from django.utils import timezone

    started = time.perf_counter()
    proc = start_server(env, args.port, args.workers, args.server_root.resolve())
    worker = start_worker(env, args.server_root.resolve())
    print(f"gunicorn prêt sur :{args.port} ({time.perf_counter() - started:.1f} s, collectstatic compris)")
    sampler = MemorySampler(proc.pid)
    sampler.start()
    try:
        base = f"http://127.0.0.1:{args.port}"
        asyncio.run(run_load(base, actors, 5, args.think, args.seed + 1, first_each=True))  # warm-up
        since, cpu = timezone.now(), cpu_seconds(worker.pid)
        results = asyncio.run(run_load(base, actors, args.duration, args.think, args.seed))
        cpu, done = cpu_seconds(worker.pid) - cpu, tasks_done_since(since)
        tasks = ", ".join(f"{name} × {n}" for name, n in sorted(done.items())) or "aucune"
        share = 100 * cpu / args.duration
        summary = f"Task worker during the load: {cpu:.1f} s of CPU ({share:.0f} % of a core); tasks done: {tasks}."
        return results, sampler.peak, summary
    finally:
        sampler.stop.set()
        for process in (proc, worker):
            process.terminate()
        for process in (proc, worker):
            process.wait(timeout=30)


def main() -> None:
    args = arguments()
    secret = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
    args.cache = args.cache or ("redis" if redis_db.answers(BENCH_REDIS) else "database")
    env = server_env(args.database_url, secret, args.cache)
    os.environ.pop("REDIS_URL", None)  # this process opens the sessions: the same store as the server's
    keys = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")
    os.environ.update({k: env[k] for k in keys if k in env})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    started = time.perf_counter()
    actors = prepare_actors(args.users, random.Random(args.seed))
    counts = Counter(MIX_NAMES[id(mix)] for _, mix in actors)
    actors = [(a, mix) for a, mix in ((a, [k for k in m if k[0] not in args.exclude]) for a, m in actors) if mix]
    print(generation_summary())
    print(f"{len(actors)} utilisateurs virtuels {dict(counts)} prêts en {time.perf_counter() - started:.1f} s")
    results, peak, worker = serve_and_load(args, env, actors)
    report, _ = table(results, args.duration)
    memory = ", ".join(f"{kb / 1024:.0f} MiB" for pid, kb in sorted(peak.items()))
    command = "uv run python bench/http_load.py"
    command += f" --users {args.users} --duration {args.duration:g} --think {args.think:g} --cache {args.cache}"
    if args.server_root.resolve() != ROOT:
        command += f" --server-root {args.server_root}"
    text = f"`{command}`\n\n{report}\n\nPeak RSS per gunicorn worker: {memory}.\n{worker}\n"
    print(text)
    if args.timeline:
        print(timeline())
    if args.write:
        with (ROOT / "docs" / "performance.md").open("a") as docs:
            docs.write(f"\n### Run of {time.strftime('%Y-%m-%d %H:%M')}\n\n{text}")


if __name__ == "__main__":
    main()
