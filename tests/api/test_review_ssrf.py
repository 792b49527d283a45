"""Revue 17–19: a Subscription must not turn the platform into a proxy towards its own network (SSRF)."""

import pytest

from tests.factories.demandes import ReadyDossierFactory
from trajectoire.api.models import Subscription
from trajectoire.api.tasks import deliver
from trajectoire.demandes import services

from .hook_server import HookServer

pytestmark = pytest.mark.django_db


def _body(endpoint, headers=None):
    channel = {"type": "rest-hook", "endpoint": endpoint, **({"header": headers} if headers else {})}
    return {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "x",
        "criteria": "Task",
        "channel": channel,
    }


@pytest.fixture
def prod_policy(settings):
    settings.API_SUBSCRIPTION_ALLOW_HTTP = False
    settings.API_SUBSCRIPTION_ALLOWED_HOSTS = []
    settings.ALLOWED_HOSTS = ["trajectoire.example.fr", "testserver"]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1/hook",
        "https://127.1/hook",
        "https://[::1]/hook",
        "https://localhost:8000/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://trajectoire.example.fr/fhir/",  # the application itself
        "https://user:pw@dpi.example/hook",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "http://dpi.example/hook",  # not https in prod
    ],
)
def test_internal_or_non_https_endpoints_are_refused_in_french(doctor_api, prod_policy, endpoint):
    response = doctor_api.post("/fhir/Subscription", _body(endpoint))
    assert response.status_code == 422, endpoint
    assert response.resource["resourceType"] == "OperationOutcome"
    assert "channel.endpoint" in response.resource["issue"][0]["diagnostics"]
    assert not Subscription.objects.exists()


def test_an_update_cannot_move_an_endpoint_inside(doctor_api, prod_policy):
    created = doctor_api.post("/fhir/Subscription", _body("https://dpi.example/hook")).resource
    moved = doctor_api.put(
        f"/fhir/Subscription/{created['id']}", {**_body("https://169.254.169.254/"), "id": created["id"]}
    )
    assert moved.status_code == 422
    assert Subscription.objects.get().endpoint == "https://dpi.example/hook"


def test_host_and_framing_headers_cannot_be_set(doctor_api, prod_policy):
    for header in ("Host: admin.internal", "Content-Length: 0", "Transfer-Encoding: chunked"):
        assert doctor_api.post("/fhir/Subscription", _body("https://dpi.example/h", [header])).status_code == 422
    assert (
        doctor_api.post("/fhir/Subscription", _body("https://dpi.example/h", ["Authorization: x"])).status_code == 201
    )


def test_delivery_checks_the_address_again(settings, doctor_api, doctor, unite):
    """Written while allowed (or resolving elsewhere), an endpoint that is internal at delivery gets nothing."""
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    demande = services.send(dossier, [unite], by=doctor)[0]
    with HookServer() as hook:
        created = doctor_api.post("/fhir/Subscription", _body(hook.url)).resource
        settings.API_SUBSCRIPTION_ALLOWED_HOSTS = []  # the allow-list no longer names loopback
        assert deliver.call(int(created["id"]), demande.pk, 1) == "failed"
        assert hook.received == []
    subscription = Subscription.objects.get()
    assert subscription.status == "error" and "adresse refusée" in subscription.error


def test_allow_listed_loopback_is_still_delivered(doctor_api, doctor, unite):
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    demande = services.send(dossier, [unite], by=doctor)[0]
    with HookServer() as hook:
        created = doctor_api.post("/fhir/Subscription", _body(hook.url)).resource
        assert deliver.call(int(created["id"]), demande.pk, 1) == "delivered"
        assert len(hook.received) == 1


def test_a_newline_in_the_path_is_still_answered_in_fhir(doctor_api):
    response = doctor_api.get("/fhir/Organization/%0B%C2%B5%0A")
    assert response.status_code in (400, 404)
    assert response["Content-Type"].startswith("application/fhir+json")


def test_subscriptions_per_client_are_bounded(doctor_api, settings):
    """Each demande change fans out to every active Subscription: a client cannot multiply them at will."""
    settings.API_SUBSCRIPTION_MAX_PER_CLIENT = 2
    statuses = [doctor_api.post("/fhir/Subscription", _body(f"https://dpi.example/h{i}")).status_code for i in range(3)]
    assert statuses == [201, 201, 422]
    first = Subscription.objects.order_by("pk").first()
    off = {**_body(first.endpoint), "id": str(first.pk), "status": "off"}
    assert doctor_api.put(f"/fhir/Subscription/{first.pk}", off).status_code == 200
    assert doctor_api.post("/fhir/Subscription", _body("https://dpi.example/h3")).status_code == 201
    back_on = {**off, "status": "active"}  # switching one back on counts like a new one
    assert doctor_api.put(f"/fhir/Subscription/{first.pk}", back_on).status_code == 422


def test_tokens_cannot_be_minted_at_will(prescriber_software, settings):
    """Each token is a database row: a client asking again and again gets a French 429."""
    import base64

    from django.test import Client

    settings.API_TOKEN_RATE_MAX_REQUESTS = 3
    client, secret = prescriber_software
    basic = "Basic " + base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    statuses = [
        Client().post("/fhir/auth/token", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic)
        for _ in range(4)
    ]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert "Trop de jetons" in statuses[-1].json()["error_description"]
