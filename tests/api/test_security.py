"""SMART Backend Services: secrets and signed assertions, scopes, short-lived tokens, revocation, rate limit."""

import base64
import io
import json
import time
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import RSAKey

from trajectoire.api.clients import create_client, revoke_client
from trajectoire.api.models import AccessToken, ApiClient
from trajectoire.audit.models import AuditEvent

from .conftest import FhirClient, get_token

pytestmark = pytest.mark.django_db
TOKEN_URL = "http://testserver/fhir/auth/token"


def _basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_client_secret_basic_gives_a_short_lived_token_of_which_only_a_hash_is_kept(structure_software):
    client, secret = structure_software
    body = get_token(client.client_id, secret)
    assert body["token_type"] == "bearer" and body["expires_in"] == 300
    stored = AccessToken.objects.get(client=client)
    assert body["access_token"] not in stored.token_hash
    assert FhirClient(body["access_token"]).get("/fhir/Organization").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        expired = FhirClient(body["access_token"]).get("/fhir/Organization")
    assert expired.status_code == 401


def test_wrong_secret_and_wrong_grant_are_refused(structure_software):
    client, _ = structure_software
    http = Client()
    wrong = http.post(TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=_basic(client.client_id, "x"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = http.post(TOKEN_URL, {"grant_type": "password"}, HTTP_AUTHORIZATION=_basic(client.client_id, "x"))
    assert grant.json()["error"] == "unsupported_grant_type"
    assert http.post(TOKEN_URL, {"grant_type": "client_credentials"}).status_code == 401
    garbage = http.post(TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION="Basic ###")
    assert garbage.status_code == 401


def _assertion(key, client_id, **claims):
    payload = {
        "iss": client_id,
        "sub": client_id,
        "aud": TOKEN_URL,
        "exp": int(time.time()) + 120,
        "jti": str(uuid.uuid4()),
        **claims,
    }
    return jwt.encode({"alg": "RS384", "kid": key.kid}, payload, key, algorithms=["RS384"])


def test_private_key_jwt_with_the_registered_jwks(ehpad):
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    client, _ = create_client("DPI signé", structure=ehpad, jwks={"keys": [key.as_dict(private=False)]})
    form = {
        "grant_type": "client_credentials",
        "scope": "system/Organization.rs system/Task.read",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    }
    assertion = _assertion(key, client.client_id)
    response = Client().post(TOKEN_URL, {**form, "client_assertion": assertion})
    assert response.status_code == 200, response.content
    assert response.json()["scope"] == "system/Organization.rs system/Task.read"
    replay = Client().post(TOKEN_URL, {**form, "client_assertion": assertion})
    assert replay.status_code == 401
    other_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    forged = Client().post(TOKEN_URL, {**form, "client_assertion": _assertion(other_key, client.client_id)})
    assert forged.status_code == 401
    wrong_audience = _assertion(key, client.client_id, aud="https://ailleurs.example/token")
    assert Client().post(TOKEN_URL, {**form, "client_assertion": wrong_audience}).status_code == 401
    too_long = _assertion(key, client.client_id, exp=int(time.time()) + 3600)
    assert Client().post(TOKEN_URL, {**form, "client_assertion": too_long}).status_code == 401
    assert Client().post(TOKEN_URL, {**form, "client_assertion": "a.b.c"}).status_code == 401


def test_scopes_narrow_what_a_token_may_do(structure_software):
    client, secret = structure_software
    token = get_token(client.client_id, secret, scope="system/Organization.rs")["access_token"]
    api = FhirClient(token)
    assert api.get("/fhir/Organization").status_code == 200
    refused = api.get("/fhir/Task")
    assert refused.status_code == 403
    assert "Portée insuffisante" in refused.resource["issue"][0]["diagnostics"]
    http = Client()
    auth = _basic(client.client_id, secret)
    more = http.post(TOKEN_URL, {"grant_type": "client_credentials", "scope": "system/*.*"}, HTTP_AUTHORIZATION=auth)
    assert more.json()["error"] == "invalid_scope"
    # A structure's software may not create referrals (prescribers' scope).
    write = {"grant_type": "client_credentials", "scope": "system/ServiceRequest.write"}
    assert http.post(TOKEN_URL, write, HTTP_AUTHORIZATION=auth).json()["error"] == "invalid_scope"


def test_revocation_is_immediate(structure_software, ehpad_api):
    client, _ = structure_software
    assert ehpad_api.get("/fhir/Organization").status_code == 200
    revoke_client(client)
    assert ehpad_api.get("/fhir/Organization").status_code == 401
    client.user.refresh_from_db()
    assert not client.user.is_active  # the technical account is closed too


def test_rate_limit_per_client(settings, ehpad_api):
    settings.API_RATE_MAX_REQUESTS = 3
    statuses = [ehpad_api.get("/fhir/Organization").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_structure_client_acts_as_a_technical_admissions_member_never_medical(structure_software, ehpad):
    client, _ = structure_software
    membership = client.user.memberships.get()
    assert membership.structure == ehpad and membership.is_admissions and not membership.is_medical
    assert not membership.is_referent and not client.user.has_usable_password()


def test_command_creates_lists_and_revokes(ehpad, doctor):
    out = io.StringIO()
    call_command("api_client", "create", "--name", "Logiciel", "--structure", ehpad.finess, stdout=out)
    created = json.loads(out.getvalue())
    assert set(created) == {"client_id", "client_secret"}
    get_token(created["client_id"], created["client_secret"])
    out = io.StringIO()
    call_command("api_client", "create", "--name", "DPI", "--prescriber", doctor.rpps, stdout=out)
    assert ApiClient.objects.get(client_id=json.loads(out.getvalue())["client_id"]).user == doctor
    out = io.StringIO()
    call_command("api_client", "list", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {line["bound_to"] for line in lines} == {ehpad.finess, doctor.rpps}
    call_command("api_client", "revoke", created["client_id"], stdout=io.StringIO())
    assert not ApiClient.objects.get(client_id=created["client_id"]).is_active
    assert AuditEvent.objects.filter(object_type="api.apiclient").count() == 3
