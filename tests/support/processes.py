"""Start real server and worker processes on the test database (PostgreSQL only: they need to see committed rows)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx
from django.conf import settings
from django.db import connection

from .smtp import free_port

ROOT = settings.BASE_DIR


def test_database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def child_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=test_database_url(), PYTHONUNBUFFERED="1")
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextmanager
def app_server(**extra_env):
    """A gunicorn application server (1 worker) on a free port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=child_env(**extra_env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_workers(count: int, *, timeout: float = 60, **extra_env) -> list[subprocess.CompletedProcess]:
    """Run `count` task workers at once, each processing outstanding tasks then exiting."""
    env = child_env(TASKS_BACKEND="django_tasks_db.DatabaseBackend", **extra_env)
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--worker-id", f"w{i}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for i in range(count)
    ]
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=timeout)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out.decode()))
    return results


@contextmanager
def worker(**extra_env):
    """A task worker (database backend) running until the block ends, as `make run` starts one."""
    env = child_env(TASKS_BACKEND="django_tasks_db.DatabaseBackend", **extra_env)
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
