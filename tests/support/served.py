"""The application as users get it, for the browser tests: the static files collected by the same storage as
`make run` (hashed names, compression, the DSFR files unchanged), gunicorn with deploy/gunicorn.conf.py and the
task worker (`manage.py db_worker`), in their own processes, on the test database.

- Profile: `config.settings.journeys` = the demo profile of `make run` with a fast password hasher (speed only),
  or `config.settings.prod` behind the repository's nginx configuration (tests/journeys/test_production.py).
- Database: the test database, shared with the test process (PostgreSQL, or the SQLite test database, which
  config/settings/test.py keeps in a file for that reason).
- Static files: `collectstatic` runs once into var/test-static/<fingerprint>/ (the fingerprint covers every
  source static file, the settings and the storage), reused until a static file changes (it takes ~1 min).
- E-mails: the worker sends them by SMTP to one aiosmtpd server of the session (`Served.mailbox`).
Logs of the processes: test-artefacts/served/<name>-{gunicorn,worker}.log.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection

from .smtp import SmtpServer, free_port

ROOT = Path(settings.BASE_DIR)
STATIC_CACHE = ROOT / "var" / "test-static"
LOGS = ROOT / "test-artefacts" / "served"
JOURNEY_SETTINGS = "config.settings.journeys"
RUNNING: list = []  # served apps of this session


def database_url() -> str:
    """The test database as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "the served app needs a file-based SQLite test database"
        return f"sqlite:///{db['NAME']}"
    user, host, port = db.get("USER") or "postgres", db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _static_fingerprint() -> str:
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    # The served profiles' storage is configured there (the test profile's own storage is a plain one).
    for source in ("config/settings/base.py", "config/settings/dev.py", "trajectoire/core/staticfiles.py"):
        digest.update((ROOT / source).read_bytes())
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def collected_static() -> Path:
    """STATIC_ROOT filled by `manage.py collectstatic` with the production storage (cached by fingerprint)."""
    target = STATIC_CACHE / _static_fingerprint()
    if (target / "staticfiles.json").exists():
        return target
    shutil.rmtree(STATIC_CACHE, ignore_errors=True)  # older fingerprints
    partial = STATIC_CACHE / f"partial-{os.getpid()}"
    env = {**_base_env(), "DJANGO_SETTINGS_MODULE": JOURNEY_SETTINGS, "STATIC_ROOT": str(partial)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    partial.rename(target)
    return target


def _base_env() -> dict:
    """The environment without what pytest and the test profile put in it."""
    own = set(getattr(settings, "TEST_PROFILE_ENV", []))
    return {
        k: v for k, v in os.environ.items() if k not in own and not k.startswith(("PYTEST", "DJANGO_", "DATABASE_"))
    }


@dataclass
class Served:
    name: str
    url: str
    smtp: SmtpServer
    env: dict
    processes: dict = field(default_factory=dict)

    @property
    def mailbox(self):
        return self.smtp.mailbox

    def check_alive(self) -> None:
        for name, proc in self.processes.items():
            assert proc.poll() is None, f"{name} exited ({proc.returncode}): see {LOGS}"

    def start_worker(self) -> None:
        name = f"{self.name}-worker"
        worker = _start(name, [sys.executable, "manage.py", "db_worker", "--no-startup-delay"], self.env)
        self.processes["worker"] = worker
        _wait_logged(worker, name, "Starting worker")

    def stop_worker(self) -> None:
        _stop(self.processes.pop("worker"))

    def ensure_worker(self) -> None:
        if "worker" not in self.processes:
            self.start_worker()

    def settle(self, timeout: float = 60) -> None:
        """End of a test: wait until the worker has run every task due, then stop it (`ensure_worker` before
        the next test). The test database is emptied after each test; a task whose row vanished while it ran
        can no longer save its result, and db_worker then exits, failing every later test (seen in CI)."""
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            pending = DBTaskResult.objects.ready() | DBTaskResult.objects.running()
            if not pending.exists():
                break
            assert time.monotonic() < deadline, (
                f"tasks still due after {timeout} s: {list(pending.values_list('task_path', 'status'))}"
            )  # the message (one more query) only when it fails
            time.sleep(0.1)
        self.stop_worker()

    @contextmanager
    def worker_stopped(self):
        """Another served app shares the test database (and so the task queue): let its worker take them."""
        running = "worker" in self.processes
        if running:
            self.stop_worker()
        try:
            yield
        finally:
            if running:
                self.start_worker()


def _start(name: str, command: list[str], env: dict) -> subprocess.Popen:
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{name}.log", "wb") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait_healthy(url: str, proc: subprocess.Popen, name: str, **client) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2, **client).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start: {(LOGS / f'{name}.log').read_text()[-3000:]}")
        time.sleep(0.2)


def _wait_logged(proc: subprocess.Popen, name: str, text: str) -> None:
    log = LOGS / f"{name}.log"
    deadline = time.monotonic() + 60
    while text not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start: {log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def served_app(name: str = "demo", *, settings_module: str = JOURNEY_SETTINGS, port: int | None = None, **env_extra):
    """gunicorn + db_worker on the test database; yields a Served (its `url` is gunicorn's, plain http)."""
    port = port or free_port()
    bind = f"127.0.0.1:{port}"
    url = f"http://{bind}"
    with ExitStack() as stack:
        for other in list(RUNNING):  # same database, same task queue: only this app's worker takes the tasks
            stack.enter_context(other.worker_stopped())
        smtp = stack.enter_context(SmtpServer())
        env = {
            **_base_env(),
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": database_url(),
            "STATIC_ROOT": str(collected_static()),
            "SECRET_KEY": settings.SECRET_KEY,  # the test process signs sessions (login_as) for the server
            "SITE_URL": url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "PYTHONUNBUFFERED": "1",
            **{k: str(v) for k, v in env_extra.items()},
        }
        served = Served(name=name, url=env["SITE_URL"], smtp=smtp, env=env)
        gunicorn = _start(
            f"{name}-gunicorn",
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "deploy/gunicorn.conf.py", "--bind", bind],
            env,
        )
        served.processes["gunicorn"] = gunicorn
        stack.callback(_stop, gunicorn)
        stack.callback(lambda: served.processes.get("worker") and _stop(served.processes["worker"]))
        served.start_worker()
        _wait_healthy(url, gunicorn, f"{name}-gunicorn", headers={"X-Forwarded-Proto": "https"})
        RUNNING.append(served)
        stack.callback(RUNNING.remove, served)
        yield served
