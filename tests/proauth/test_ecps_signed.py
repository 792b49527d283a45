"""PSC answers that oidc-provider-mock cannot produce: userinfo as a signed JWT, a forged ID token.

A small provider double on loopback (werkzeug), holding its own signing key, plays PSC's token,
JWKS and userinfo endpoints; the authorization step is the application's real redirect.
"""

import json
import ssl
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from trajectoire.accounts.models import User

from .conftest import PSC_REF_PRO

pytestmark = pytest.mark.django_db
SIGNING = RSAKey.generate_key(2048, parameters={"kid": "psc-1"})
FORGER = RSAKey.generate_key(2048, parameters={"kid": "psc-1"})


class PscDouble:
    def __init__(self):
        self.nonce = ""
        self.id_token_key = SIGNING
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.userinfo = {"sub": "f:550dc1c8", "SubjectNameID": "819900000035", "SubjectRefPro": PSC_REF_PRO}

    def _jwt(self, claims, key):
        return jwt.encode({"alg": "RS256", "kid": "psc-1"}, claims, key)

    @Request.application
    def app(self, request):
        if request.path == "/jwks":
            return Response(json.dumps({"keys": [SIGNING.as_dict(private=False)]}), content_type="application/json")
        if request.path == "/token":
            now = int(time.time())
            claims = {"iss": self.url, "aud": "trajectoire-test", "sub": self.userinfo["sub"], "iat": now}
            claims |= {"exp": now + 300, "nonce": self.nonce, "acr": "eidas1"}
            body = {
                "access_token": "jeton-acces",
                "token_type": "Bearer",
                "id_token": self._jwt(claims, self.id_token_key),
            }
            return Response(json.dumps(body), content_type="application/json")
        if request.path == "/userinfo" and request.headers.get("Authorization") == "Bearer jeton-acces":
            return Response(self._jwt(self.userinfo, SIGNING), content_type="application/jwt")
        return Response("", status=404)


@pytest.fixture
def double(settings):
    provider = PscDouble()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    settings.PSC_AUTHORIZATION_ENDPOINT = provider.url + "/authorize"
    settings.PSC_TOKEN_ENDPOINT = provider.url + "/token"
    settings.PSC_USERINFO_ENDPOINT = provider.url + "/userinfo"
    settings.PSC_JWKS_URI = provider.url + "/jwks"
    settings.PSC_ISSUER = provider.url
    settings.PSC_CLIENT_ID = "trajectoire-test"
    yield provider
    provider.server.shutdown()


def _callback(client, provider):
    query = parse_qs(urlsplit(client.get("/connexion/e-cps/")["Location"]).query)
    provider.nonce = query["nonce"][0]
    return f"/connexion/e-cps/retour/?code=abc&state={query['state'][0]}"


def test_userinfo_as_signed_jwt(client, double):
    response = client.get(_callback(client, double))
    assert response["Location"] == "/connexion/premiere-connexion/"
    assert User.objects.get(rpps="19900000035").profession == "medecin"


def test_id_token_signed_by_another_key_is_refused(client, double):
    double.id_token_key = FORGER
    response = client.get(_callback(client, double))
    assert response.status_code == 400
    assert "n’a pas pu être vérifiée" in response.content.decode()
    assert not User.objects.filter(rpps="19900000035").exists()


@pytest.fixture
def mtls_token(double, pki, settings):
    """PSC's token endpoint behind TLS that requires a client certificate (mTLS)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(pki.server_cert), str(pki.server_key))
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(str(pki.chain))
    server = make_server("127.0.0.1", 0, double.app, threaded=True, ssl_context=context)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PSC_TOKEN_ENDPOINT = f"https://127.0.0.1:{server.server_port}/token"
    settings.PSC_CA_BUNDLE = str(pki.server_ca)
    yield
    server.shutdown()


def test_token_call_presents_the_client_certificate(client, double, mtls_token, pki, settings):
    settings.PSC_CLIENT_CERT, settings.PSC_CLIENT_KEY = map(str, pki.clients["cps"])
    assert client.get(_callback(client, double))["Location"] == "/connexion/premiere-connexion/"


def test_token_call_without_client_certificate_fails_cleanly(client, double, mtls_token):
    response = client.get(_callback(client, double))
    assert response.status_code == 503
    assert "Pro Santé Connect ne répond pas" in response.content.decode()
