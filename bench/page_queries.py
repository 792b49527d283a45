"""Per page of the HTTP benchmark, the queries run and the slowest ones (in-process Django test client).

    uv run python bench/page_queries.py [--database-url postgres://…/trajectoire_bench] [--explain] [--profile]

Picks the same kind of actors as bench/http_load.py on the generated volume, requests each page a few
times and prints: median time and CPU time, number of queries, total SQL time and the three slowest
statements (with EXPLAIN ANALYZE of the slowest one when --explain). Used to find query or index
problems. `--profile`: pyinstrument over all the requests of each page, written to
var/profile/<page>.txt (and .html), to find where the CPU goes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


PROFILERS: dict = {}
CPROFILERS: dict = {}
PHASES = {"templates": 0.0, "sql": 0.0}  # thread CPU seconds spent in each, while --phases counts them


def count_phases(connection) -> None:
    """--phases: thread CPU time spent rendering templates (outermost `Template.render` of the Django backend,
    nested includes counted once) and inside the database driver's `execute` (sending, waiting is not CPU,
    receiving), so a page's CPU splits into templates / driver / the rest (middleware, view, ORM)."""
    from django.template.backends.django import Template

    original, depth = Template.render, [0]

    def render(self, context=None, request=None):
        depth[0] += 1
        start = time.thread_time()
        try:
            return original(self, context, request)
        finally:
            depth[0] -= 1
            if not depth[0]:
                PHASES["templates"] += time.thread_time() - start

    Template.render = render

    def timed_execute(execute, sql, params, many, context):
        start = time.thread_time()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.thread_time() - start
            PHASES["sql"] += elapsed
            if depth[0]:  # a query run while rendering (a lazy queryset in a template): not the template's CPU
                PHASES["templates"] -= elapsed

    connection.execute_wrappers.append(timed_execute)


def page_key(url: str) -> str:
    """`/dossiers/123/` → `dossiers/<id>`; the query string is dropped."""
    parts = [p for p in url.split("?")[0].split("/") if p][:2]
    return "/".join("<id>" if part.isdigit() else part for part in parts) or "/"


@contextmanager
def profiling(key: str, enabled: bool, cprofile: bool = False):
    """One pyinstrument profiler per page, resumed for each of its requests (or cProfile: own time per function)."""
    if cprofile:
        import cProfile

        profiler = CPROFILERS.setdefault(key, cProfile.Profile())
        profiler.enable()
        try:
            yield
        finally:
            profiler.disable()
        return
    if not enabled:
        yield
        return
    from pyinstrument import Profiler

    profiler = PROFILERS.setdefault(key, Profiler(interval=0.0005))
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()


def write_profiles() -> None:
    import io
    import pstats

    out = ROOT / "var" / "profile"
    if PROFILERS or CPROFILERS:
        out.mkdir(parents=True, exist_ok=True)
    for key, profiler in PROFILERS.items():
        (out / f"{_file_name(key)}.txt").write_text(profiler.output_text(unicode=True, color=False))
        (out / f"{_file_name(key)}.html").write_text(profiler.output_html())
    if PROFILERS:
        print(f"profils : {out}/*.txt")
    for key, profiler in CPROFILERS.items():
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(60)
        (out / f"{_file_name(key)}.cprofile.txt").write_text(text.getvalue())
        profiler.dump_stats(out / f"{_file_name(key)}.prof")  # for `python -m pstats`: cumulative views
        print(f"cProfile : {out}/{_file_name(key)}.cprofile.txt")


def _file_name(key: str) -> str:
    """`dossiers/<id>` → `dossiers_id`."""
    return key.replace("/", "_").replace("<id>", "id")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/trajectoire_bench")
    parser.add_argument("--actors", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", action="store_true", help="pyinstrument per page into var/profile/")
    parser.add_argument("--cprofile", action="store_true", help="cProfile (own time per function) into var/profile/")
    parser.add_argument("--repeat", type=int, default=1, help="timed requests per actor and page")
    parser.add_argument("--only", action="append", help="pages whose key contains this text (repeatable)")
    parser.add_argument("--phases", action="store_true", help="split each page's CPU: templates, driver, rest")
    args = parser.parse_args()
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=args.database_url)
    import django

    django.setup()
    from actors import ANNUAIRE_QUERIES, ensure_families
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from http_load import pick_actors

    from trajectoire.accounts.models import User

    rng = random.Random(2)
    doctors, staff = pick_actors(args.actors, args.actors, rng)
    pages = []
    for actor in doctors:
        dossier = actor["dossiers"][0]
        for url in ("/healthz/moi", "/tableau-de-bord/", "/demandes/", f"/dossiers/{dossier}/"):
            pages.append((actor["user"], url))
        pages.append((actor["user"], f"/demandes/dossier/{dossier}/envoyer/"))
    for actor in staff:
        pages += [(actor["user"], "/tableau-de-bord/"), (actor["user"], "/demandes/recues/")]
    pages += observatoire_pages()
    pages += [(a["user"], f"/usager/dossier/{a['dossiers'][0]}/") for a in ensure_families(args.actors, rng)]
    pages += [(None, f"/annuaire/?{query}") for query in ANNUAIRE_QUERIES[: args.actors]]
    if args.only:
        pages = [(u, url) for u, url in pages if any(text in page_key(url) for text in args.only)]
    if args.phases:
        count_phases(connection)
    by_page: dict[str, list] = {}
    for user_id, url in pages:
        client = Client()
        if user_id:
            client.force_login(User.objects.get(pk=user_id))
        client.get(url)
        key = page_key(url)
        for _ in range(args.repeat):
            phases = dict(PHASES)
            with CaptureQueriesContext(connection) as captured, profiling(key, args.profile, args.cprofile):
                start, cpu = time.perf_counter(), time.thread_time()
                response = client.get(url)
                elapsed, cpu = (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000
            spent = {name: (PHASES[name] - phases[name]) * 1000 for name in PHASES}
            by_page.setdefault(key, []).append((elapsed, response.status_code, captured.captured_queries, cpu, spent))
    write_profiles()
    for key, runs in by_page.items():
        times = [r[0] for r in runs]
        cpu = statistics.median(r[3] for r in runs)
        queries = [q for r in runs for q in r[2]]
        sql_ms = sum(float(q["time"]) for q in queries) * 1000 / len(runs)
        statuses = sorted({r[1] for r in runs})
        median = statistics.median(times)
        print(f"\n{key}: median {median:.0f} ms (CPU {cpu:.0f} ms), max {max(times):.0f} ms, ", end="")
        print(f"{len(runs[0][2])} queries, SQL {sql_ms:.0f} ms/request, statuses {statuses}")
        if args.phases:
            split = {name: statistics.median(r[4][name] for r in runs) for name in PHASES}
            rest = cpu - split["templates"] - split["sql"]
            print(f"   CPU: templates {split['templates']:.1f} ms, driver {split['sql']:.1f} ms, rest {rest:.1f} ms")
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"   {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
        if args.explain and queries:
            slowest = max(queries, key=lambda q: float(q["time"]))
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                print("\n".join("      " + row[0] for row in cursor.fetchall()[:40]))


def observatoire_pages() -> list:
    """An observatoire account of the two départements with the most demandes (created once on the bench
    database), its page and CSV, and the open file of the last complete month of the first one."""
    from django.db.models import Count
    from django.utils import timezone

    from trajectoire.accounts.models import User
    from trajectoire.demandes.models import Demande

    top = Demande.objects.values("structure__departement").annotate(n=Count("id")).order_by("-n")[:2]
    departements = [row["structure__departement"] for row in top]
    user, _ = User.objects.update_or_create(
        username="bench-observatoire",
        defaults={"kind": "professionnel", "profession": "", "is_observatoire": True,
                  "observatoire_departements": ",".join(departements)},
    )  # fmt: skip
    month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).strftime("%Y-%m")
    urls = ["/observatoire/", "/observatoire/export.csv", f"/observatoire/donnees/{departements[0]}/{month}.json"]
    return [(user.pk, url) for url in urls]


if __name__ == "__main__":
    main()
