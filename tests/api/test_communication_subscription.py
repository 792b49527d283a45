"""Complements as Communications; rest-hook Subscriptions delivered after commit, with retries."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.demandes import ReadyDossierFactory
from tests.factories.directory import UniteFactory
from trajectoire.api.models import Subscription
from trajectoire.api.tasks import deliver
from trajectoire.audit.models import AuditEvent
from trajectoire.demandes import services
from trajectoire.demandes.enums import Statut

from .hook_server import HookServer

pytestmark = pytest.mark.django_db
CS = "https://trajectoire.sante.fr/fhir/CodeSystem"


@pytest.fixture
def demande(doctor, unite):
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    return services.send(dossier, [unite], by=doctor)[0]


def _communication(task_id, text):
    return {
        "resourceType": "Communication",
        "status": "completed",
        "partOf": [{"reference": f"Task/{task_id}"}],
        "payload": [{"contentString": text}],
    }


def test_complement_asked_and_answered_as_communications(ehpad_api, doctor_api, demande):
    asked = ehpad_api.post("/fhir/Communication", _communication(demande.pk, "Merci d’envoyer le dernier bilan."))
    assert asked.status_code == 201, asked.content
    demande.refresh_from_db()
    assert demande.statut == Statut.COMPLEMENT_DEMANDE
    seen = doctor_api.get(f"/fhir/Communication?part-of=Task/{demande.pk}").resource["entry"]
    assert seen[0]["resource"]["payload"][0]["contentString"] == "Merci d’envoyer le dernier bilan."
    answered = doctor_api.post("/fhir/Communication", _communication(demande.pk, "Bilan joint au dossier."))
    assert answered.status_code == 201
    demande.refresh_from_db()
    assert demande.statut == Statut.COMPLETEE
    again = doctor_api.post("/fhir/Communication", _communication(demande.pk, "Encore"))
    assert again.status_code == 409  # nothing was asked
    empty = ehpad_api.post("/fhir/Communication", _communication(demande.pk, " "))
    assert empty.status_code == 422 and "Précisez" in empty.resource["issue"][0]["diagnostics"]


def _subscribe(api, url, criteria="Task?status=accepted"):
    body = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "Suivi des acceptations",
        "criteria": criteria,
        "channel": {"type": "rest-hook", "endpoint": url, "payload": "application/fhir+json",
                    "header": ["Authorization: Bearer secret-du-dpi"]},
    }  # fmt: skip
    response = api.post("/fhir/Subscription", body)
    assert response.status_code == 201, response.content
    assert response.resource["status"] == "active"
    return response.resource


def _accept(demande):
    from tests.factories.accounts import MembershipFactory

    staff = MembershipFactory(structure=demande.structure, admissions=True).user
    services.accept(demande, staff, timezone.localdate() + dt.timedelta(days=5))


def test_acceptance_is_pushed_to_the_prescribers_endpoint_after_commit(
    doctor_api, ehpad_api, demande, django_capture_on_commit_callbacks
):
    with HookServer() as hook:
        _subscribe(doctor_api, hook.url)
        _subscribe(ehpad_api, hook.url, criteria="Task?status=cancelled")  # does not match an acceptance
        with django_capture_on_commit_callbacks(execute=True):
            _accept(demande)
        assert len(hook.received) == 1
        notification = hook.received[0]
        assert notification["path"] == f"/hook/Task/{demande.pk}"
        assert notification["headers"]["Authorization"] == "Bearer secret-du-dpi"
        assert notification["body"]["businessStatus"]["coding"][0]["code"] == "acceptee"
    subscription = Subscription.objects.get(criteria="Task?status=accepted")
    assert subscription.last_delivered_at is not None and subscription.failures == 0
    pushed = AuditEvent.objects.get(details__subscription=subscription.pk)  # a push is a read by the client
    assert pushed.object_id == str(demande.pk) and pushed.actor == subscription.client.user


def test_a_client_is_not_told_about_what_it_cannot_see(demande, django_capture_on_commit_callbacks):
    from trajectoire.api.clients import create_client

    from .conftest import FhirClient, get_token

    stranger, secret = create_client("Autre EHPAD", structure=UniteFactory().structure)
    api = FhirClient(get_token(stranger.client_id, secret)["access_token"])
    with HookServer() as hook:
        _subscribe(api, hook.url, criteria="Task")
        with django_capture_on_commit_callbacks(execute=True):
            _accept(demande)
        assert hook.received == []


def test_failed_deliveries_are_retried_then_the_subscription_is_in_error(settings, doctor_api, demande):
    settings.API_SUBSCRIPTION_MAX_ATTEMPTS = 2
    with HookServer(status=503) as hook:
        resource = _subscribe(doctor_api, hook.url, criteria="Task")
        assert deliver.call(int(resource["id"]), demande.pk, 1) == "failed"
        subscription = Subscription.objects.get()
        assert subscription.status == "active" and subscription.failures == 1
        assert "essai 1" in subscription.error
        assert deliver.call(subscription.pk, demande.pk, 2) == "failed"
        assert len(hook.received) == 2
    subscription.refresh_from_db()
    assert subscription.status == "error"
    shown = doctor_api.get(f"/fhir/Subscription/{subscription.pk}").resource
    assert shown["status"] == "error" and "Notification impossible" in shown["error"]


def test_subscription_input_is_checked(doctor_api, settings):
    settings.API_SUBSCRIPTION_ALLOW_HTTP = False
    base = {"resourceType": "Subscription", "status": "requested", "reason": "x", "criteria": "Task",
            "channel": {"type": "rest-hook", "endpoint": "http://127.0.0.1:9/hook"}}  # fmt: skip
    assert doctor_api.post("/fhir/Subscription", base).status_code == 422  # https only
    for criteria in ("Patient", "Task?code=1"):
        body = {**base, "criteria": criteria, "channel": {**base["channel"], "endpoint": "https://dpi.example/h"}}
        assert doctor_api.post("/fhir/Subscription", body).status_code == 422
    headers = {**base["channel"], "endpoint": "https://dpi.example/h", "header": ["X: a\r\nInjected: 1"]}
    assert doctor_api.post("/fhir/Subscription", {**base, "channel": headers}).status_code == 422


def test_oversized_criteria_is_a_422(doctor_api):
    body = {"resourceType": "Subscription", "status": "requested", "reason": "x",
            "criteria": "Task?status=" + ",".join(["accepted"] * 80),
            "channel": {"type": "rest-hook", "endpoint": "https://dpi.example/h"}}  # fmt: skip
    assert doctor_api.post("/fhir/Subscription", body).status_code == 422


def test_other_clients_see_neither_subscriptions_nor_communications(doctor_api, ehpad_api, demande):
    from trajectoire.api.clients import create_client

    from .conftest import FhirClient, get_token

    subscription = _subscribe(doctor_api, "https://dpi.example/hook", criteria="Task")
    asked = ehpad_api.post("/fhir/Communication", _communication(demande.pk, "Merci d’envoyer le bilan.")).resource
    stranger, secret = create_client("Autre EHPAD", structure=UniteFactory().structure)
    other = FhirClient(get_token(stranger.client_id, secret)["access_token"])
    assert other.get(f"/fhir/Subscription/{subscription['id']}").status_code == 404
    assert ehpad_api.get(f"/fhir/Subscription/{subscription['id']}").status_code == 404
    assert other.get(f"/fhir/Communication/{asked['id']}").status_code == 404
    assert other.get("/fhir/Communication").resource["entry"] == []
    assert other.post("/fhir/Communication", _communication(demande.pk, "Intrus")).status_code == 404
