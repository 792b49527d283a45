"""Concurrent API updates on PostgreSQL (threads, each with its own connection): If-Match under the lock."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories.demandes import ReadyDossierFactory
from trajectoire.demandes import services
from trajectoire.demandes.enums import Statut

from .conftest import FhirClient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]
CS = "https://trajectoire.sante.fr/fhir/CodeSystem"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL (run by .ci/run)")


def _body(code, status, **extra):
    return {"resourceType": "Task", "status": status,
            "businessStatus": {"coding": [{"system": f"{CS}/statut-demande", "code": code}]}, **extra}  # fmt: skip


@pytest.mark.parametrize("attempt", range(3))
def test_two_answers_with_the_same_version_one_wins_the_other_is_412(ehpad_api, doctor, unite, attempt):
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    demande = services.send(dossier, [unite], by=doctor)[0]
    etag = ehpad_api.get(f"/fhir/Task/{demande.pk}")["ETag"]
    day = (timezone.localdate() + dt.timedelta(days=4)).isoformat()
    output = [{"type": {"coding": [{"system": f"{CS}/sortie-demande", "code": "date-admission-proposee"}]},
               "valueDate": day}]  # fmt: skip
    bodies = [_body("acceptee", "accepted", output=output), _body("liste_attente", "on-hold")]
    barrier = threading.Barrier(2)
    statuses = [None, None]

    def answer(i):
        try:
            client = FhirClient(ehpad_api.token)
            barrier.wait()
            statuses[i] = client.put(f"/fhir/Task/{demande.pk}", bodies[i], HTTP_IF_MATCH=etag).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(statuses) == [200, 412]
    demande.refresh_from_db()
    winner = bodies[statuses.index(200)]["businessStatus"]["coding"][0]["code"]
    assert demande.statut == Statut(winner)
    assert demande.events.count() == 2  # sent, then exactly one answer
