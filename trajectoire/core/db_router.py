"""Read routing to a PostgreSQL replica, only where a few seconds of replication lag are harmless.

Active when `DATABASE_REPLICA_URL` is set (alias "replica"). Reads of reference data (the annuaire:
communes, structures, units, CNSA prices) go to the replica during GET/HEAD requests whose path starts
with one of `settings.REPLICA_READ_PATHS` (the public annuaire by default). Everything else — sessions,
users, dossiers, demandes, every write, every read inside a transaction, tasks and commands — stays on
the primary, so a user always reads what they just wrote.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction

REPLICA = "replica"
REPLICA_APPS = frozenset({"directory"})
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def replica_reads():
    """Let reference-data reads of this block go to the replica (if one is configured)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reading_from_replica.get()
            and model._meta.app_label in REPLICA_APPS
            and REPLICA in settings.DATABASES
            and not transaction.get_connection().in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a physical copy of the primary: same rows, same ids

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadMiddleware:
    """Marks safe requests (GET/HEAD on the configured paths) as allowed to read from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        paths = getattr(settings, "REPLICA_READ_PATHS", ())
        if request.method in ("GET", "HEAD") and request.path.startswith(tuple(paths)):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
