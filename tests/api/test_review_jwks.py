"""Revue 17–19: the signed-assertion path and the JWKS a référent registers, tried with hostile input."""

import base64

import pytest
from django.test import Client
from joserfc.jwk import ECKey, OctKey, RSAKey

from tests.factories.accounts import MembershipFactory
from trajectoire.api.clients import ClientError, create_client
from trajectoire.api.models import ApiClient

pytestmark = pytest.mark.django_db
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize("payload", [b"[" * 100_000, b'{"iss": ' * 50_000, b"\xff\xfe", b"null", b"[]"])
def test_a_hostile_assertion_is_a_401_not_a_500(payload):
    header = _b64(b'{"alg":"RS384"}')
    assertion = f"{header}.{_b64(payload)}.{_b64(b'sig')}"
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
    response = Client().post("/fhir/auth/token", form)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "jwks",
    [
        {"keys": [RSAKey.generate_key(2048).as_dict(private=True)]},  # a private key pasted by mistake
        {"keys": [ECKey.generate_key("P-256").as_dict(private=True)]},
        {"keys": [OctKey.generate_key(256).as_dict(private=True)]},  # a shared secret: not an asymmetric key
        {"keys": ["x"]},
        {"keys": [{"kty": "RSA", "n": "abc"}]},
        {"keys": []},
    ],
)
def test_only_public_asymmetric_keys_are_registered(ehpad, jwks):
    with pytest.raises(ClientError):
        create_client("Logiciel", structure=ehpad, jwks=jwks)
    assert not ApiClient.objects.exists()


def test_a_public_key_is_registered(ehpad):
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    client, _ = create_client("Logiciel", structure=ehpad, jwks={"keys": [key.as_dict(private=False)]})
    assert "d" not in client.jwks["keys"][0]


def test_the_referents_page_explains_a_hostile_jwks_in_french(client, ehpad):
    client.force_login(MembershipFactory(structure=ehpad, referent=True).user)
    private = RSAKey.generate_key(2048).as_dict(private=True)
    import json

    for raw in ("[" * 100_000, json.dumps({"keys": [private]})):
        response = client.post(f"/logiciels/structure/{ehpad.pk}/", {"name": "Logiciel", "jwks": raw})
        assert response.status_code == 200
        assert "JWKS" in response.content.decode() and not ApiClient.objects.exists()
