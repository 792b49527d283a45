"""`make bench`: build what the HTTP benchmark needs, then run it (docs/performance.md).

    make bench                                  # national volume (first run: ≈ 10 min of generation)
    make bench BENCH_SCALE=0.01                 # a quicker volume, in its own database
    make bench BENCH_ARGS="--duration 30 --think 5"

Rerunnable: the PostgreSQL database (`trajectoire_bench`, or `trajectoire_bench_<scale>` for another
BENCH_SCALE; BENCH_DATABASE_URL overrides) is created and migrated when needed, and filled by
`generate_volume --scale BENCH_SCALE` only when it holds no dossier (its log goes to
var/generate_volume-<date>.log, which the report quotes). It is kept between runs. Then
bench/http_load.py runs with BENCH_ARGS.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"


def database_url(scale: float) -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    suffix = "" if scale == 1 else "_" + f"{scale:g}".replace(".", "_")
    return f"{SERVER}/trajectoire_bench{suffix}"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"base {name} créée")


def has_volume(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT EXISTS (SELECT 1 FROM dossiers_dossier)").fetchone()[0]


def vacuum(url: str) -> None:
    """VACUUM (ANALYZE) once after the load, as autovacuum would in production: without it (this machine's
    PostgreSQL runs with autovacuum off) no page is marked all-visible and no index-only scan happens."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    print(f"VACUUM (ANALYZE) ({time.monotonic() - started:.0f} s)")


def manage(env: dict, *args: str, log: Path | None = None) -> None:
    command = [sys.executable, "manage.py", *args]
    if log is None:
        subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603
        return
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
        for line in proc.stdout:
            out.write(line)
            print(line, end="", flush=True)
        if proc.wait():
            raise SystemExit(f"generate_volume a échoué (journal : {log})")


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE") or 1)
    url = database_url(scale)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DATABASE_URL=url,
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    ensure_database(url)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "createcachetable")  # the database cache, as bin/run does (no REDIS_URL in the bench)
    if not has_volume(url):
        (ROOT / "var").mkdir(exist_ok=True)
        log = ROOT / "var" / f"generate_volume-{time.strftime('%Y%m%d-%H%M')}.log"
        print(f"volume absent : generate_volume --scale {scale:g} (journal : {log})")
        manage(env, "generate_volume", "--scale", f"{scale:g}", log=log)
        vacuum(url)
    args = shlex.split(os.environ.get("BENCH_ARGS", ""))
    command = [sys.executable, str(ROOT / "bench" / "http_load.py"), "--database-url", url, *args]
    raise SystemExit(subprocess.call(command, cwd=ROOT))  # noqa: S603


if __name__ == "__main__":
    main()
