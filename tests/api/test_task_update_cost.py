"""A Task update answers from the service's own demande (no fourth read) and still does everything once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.demandes import ReadyDossierFactory
from trajectoire.audit.models import AuditEvent
from trajectoire.demandes import services
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.signals import demande_changed
from trajectoire.notifications.models import Notification

from .conftest import data_queries

pytestmark = pytest.mark.django_db
CS = "https://trajectoire.sante.fr/fhir/CodeSystem/statut-demande"
WAIT = [
    {"op": "replace", "path": "/status", "value": "on-hold"},
    {"op": "replace", "path": "/businessStatus", "value": {"coding": [{"system": CS, "code": "liste_attente"}]}},
]

READ = [
    {"op": "replace", "path": "/businessStatus/coding/0/code", "value": "lue"},
    {"op": "replace", "path": "/status", "value": "received"},
]


@pytest.fixture
def sent(doctor, unite):
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    (demande,) = services.send(dossier, [unite], by=doctor)
    return demande


def test_the_answer_is_the_stored_task_and_side_effects_happen_once(
    ehpad_api, sent, structure_software, django_capture_on_commit_callbacks
):
    changes = []

    def listen(sender, demande, action, **kwargs):
        changes.append((demande.pk, action))

    demande_changed.connect(listen)
    try:
        before = ehpad_api.get(f"/fhir/Task/{sent.pk}")
        notified = Notification.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            response = ehpad_api.patch(f"/fhir/Task/{sent.pk}", WAIT, HTTP_IF_MATCH=before["ETag"])
    finally:
        demande_changed.disconnect(listen)
    assert response.status_code == 200, response.content
    stored = ehpad_api.get(f"/fhir/Task/{sent.pk}")
    assert response.resource == stored.resource  # version, dates, owner, requester: as a fresh read
    assert response["ETag"] == stored["ETag"] != before["ETag"]
    assert response.resource["meta"]["versionId"] == str(int(before.resource["meta"]["versionId"]) + 1)
    sent.refresh_from_db()
    assert sent.statut == Statut.LISTE_ATTENTE and sent.events.count() == 2
    assert AuditEvent.objects.filter(action="transition", object_id=str(sent.pk)).count() == 1
    update = AuditEvent.objects.get(action="update", object_id=str(sent.pk))
    assert update.details["api_client"] == structure_software[0].client_id
    assert Notification.objects.count() == notified + 1  # the sender, once
    assert changes == [(sent.pk, "mettre_en_attente")]  # one Subscription fan-out


def test_an_idempotent_retry_answers_the_same_version(ehpad_api, sent):
    first = ehpad_api.patch(f"/fhir/Task/{sent.pk}", WAIT)
    again = ehpad_api.patch(f"/fhir/Task/{sent.pk}", WAIT)
    assert again.status_code == 200 and again.resource == first.resource


def test_reading_an_already_read_demande_reports_the_exact_version(ehpad_api, sent, doctor):
    """mark_read changes nothing when the demande was read before: the answer must not invent an event."""
    ehpad_api.patch(f"/fhir/Task/{sent.pk}", READ)
    services.ask_complement(sent, ehpad_api_user(sent), "Bilan ?")
    services.answer_complement(sent, doctor, "Voici.")
    read = ehpad_api.patch(f"/fhir/Task/{sent.pk}", READ)
    assert read.status_code == 200, read.content
    assert read.resource == ehpad_api.get(f"/fhir/Task/{sent.pk}").resource


def ehpad_api_user(demande):
    from trajectoire.accounts.models import Membership

    return Membership.objects.filter(structure_id=demande.structure_id).first().user


def test_a_task_update_costs_a_bounded_number_of_queries(ehpad_api, sent, django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        assert ehpad_api.patch(f"/fhir/Task/{sent.pk}", WAIT).status_code == 200
    # Without the rate limit's cache rows (they vary with culling), with the after-commit hooks: 23 measured.
    # Was 24: the family of the dossier (senders) was read twice, for the notifications and the Subscriptions.
    assert len(data_queries(ctx)) <= 23
