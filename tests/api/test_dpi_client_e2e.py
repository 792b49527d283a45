"""examples/dpi_client.py runs the whole loop against a served instance: gunicorn + a task worker, PostgreSQL
(both processes must see committed rows), the rest-hook delivered by the worker to the client's own port."""

import importlib.util

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.support.processes import ROOT, app_server, worker
from trajectoire.api.clients import create_client

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("server and worker processes need PostgreSQL (run by .ci/run)")


def _example():
    spec = importlib.util.spec_from_file_location("dpi_client", ROOT / "examples" / "dpi_client.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_client_runs_the_referral_loop():
    doctor = UserFactory(medecin=True, strong_auth_at=timezone.now())
    ehpad = StructureFactory(name="EHPAD du test")
    unit, other = UniteFactory(structure=ehpad), UniteFactory()
    dpi = dict(zip(("client", "secret"), create_client("DPI", prescriber=doctor), strict=True))
    software = dict(zip(("client", "secret"), create_client("EHPAD", structure=ehpad), strict=True))

    def credentials(c):
        return {"client_id": c["client"].client_id, "client_secret": c["secret"]}

    tasks = {"TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    with app_server(**tasks) as base, worker():
        summary = _example().run(base, credentials(dpi), credentials(software), [str(unit.pk), str(other.pk)])
    assert sorted(summary.values()) == ["admission_confirmee", "cloturee"]
