"""examples/dpi_client.py runs the whole loop against a served instance: gunicorn + a task worker, PostgreSQL
(both processes must see committed rows), the rest-hook delivered by the worker to the client's own port."""

import importlib.util

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.support.processes import ROOT, app_server, child_env, worker
from trajectoire.api.models import ApiClient

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


def test_example_client_registers_and_runs_the_referral_loop():
    doctor = UserFactory(medecin=True, strong_auth_at=timezone.now())
    ehpad = StructureFactory(name="EHPAD du test", finess="010009999")
    UniteFactory(structure=ehpad)
    UniteFactory()  # another EHPAD: its Task closes when the admission is confirmed
    example = _example()
    dpi = example.register("DPI", "--prescriber", doctor.rpps, env=child_env())  # manage.py api_client create
    software = example.register("EHPAD", "--structure", ehpad.finess, env=child_env())
    tasks = {"TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    with app_server(**tasks) as base, worker():
        units = example.pick_units(example.Fhir(base, software), ehpad.finess)
        summary = example.run(base, dpi, software, units)
    assert sorted(summary.values()) == ["admission_confirmee", "cloturee"]
    assert ApiClient.objects.filter(user=doctor).exists()
