"""SMART Backend Services: token issuance (client_secret_basic, private_key_jwt) and bearer authentication.

http://hl7.org/fhir/smart-app-launch/backend-services.html — client_credentials grant, the client
authenticates with a JWT signed by a key of its registered JWKS (RFC 7523) or, for simpler software, HTTP Basic
with its secret (RFC 6749 §2.3.1). Tokens are random, live `API_TOKEN_LIFETIME_SECONDS`, and only their SHA-256
is stored.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from trajectoire.core.request_context import client_ip
from trajectoire.core.throttle import Throttle

from . import scopes
from .clients import digest, secret_matches
from .fhir import FhirError
from .models import AccessToken, ApiClient

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SIGNING_ALGS = ["RS384", "ES384", "RS256", "ES256"]
throttle = Throttle("api")
issuance = Throttle("api_token")  # API_TOKEN_RATE_MAX_REQUESTS tokens per client and API_TOKEN_RATE_WINDOW_SECONDS


class OAuthError(Exception):
    """RFC 6749 §5.2 error (the token endpoint speaks OAuth, not FHIR)."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@dataclass
class ApiContext:
    client: ApiClient
    granted: dict = field(default_factory=dict)
    request: object = None

    @property
    def user(self):
        return self.client.user


def issue_token(request, token_url: str) -> dict:
    if not throttle.ip_failures_allowed(client_ip(request)):
        raise OAuthError("invalid_request", "Trop de tentatives : réessayez dans quelques minutes.", 429)
    if request.POST.get("grant_type") != "client_credentials":
        raise OAuthError("unsupported_grant_type", "Seul grant_type=client_credentials est accepté.")
    try:
        client = _authenticate_client(request, token_url)
    except OAuthError:
        throttle.register_ip_failure(client_ip(request))
        raise
    if not issuance.rate_allowed(client.client_id):  # each token is a row: no minting at will
        raise OAuthError("invalid_request", "Trop de jetons demandés : réutilisez le jeton en cours (5 minutes).", 429)
    requested = request.POST.get("scope") or client.scopes
    granted = scopes.narrow(requested, client.scopes)
    if granted is None:
        raise OAuthError("invalid_scope", "Portée demandée invalide ou non autorisée pour ce client.")
    token = secrets.token_urlsafe(32)
    lifetime = settings.API_TOKEN_LIFETIME_SECONDS
    AccessToken.objects.filter(client=client, expires_at__lt=timezone.now()).delete()
    AccessToken.objects.create(
        token_hash=digest(token), client=client, scopes=granted, expires_at=timezone.now() + timedelta(seconds=lifetime)
    )
    return {"access_token": token, "token_type": "bearer", "expires_in": lifetime, "scope": granted}


def _authenticate_client(request, token_url: str) -> ApiClient:
    header = request.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        try:
            client_id, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client", "En-tête Authorization illisible.", 401) from None
        client = ApiClient.objects.active().filter(client_id=client_id).first()
        if client is None or not secret_matches(client, secret):
            raise OAuthError("invalid_client", "Identifiant ou secret du client incorrect.", 401)
        return client
    if request.POST.get("client_assertion_type") == ASSERTION_TYPE:
        return _client_from_assertion(request.POST.get("client_assertion", ""), token_url)
    raise OAuthError("invalid_client", "Authentification du client absente.", 401)


def _client_from_assertion(assertion: str, token_url: str) -> ApiClient:
    invalid = OAuthError("invalid_client", "Assertion du client invalide.", 401)
    try:
        unverified = json.loads(jws.extract_compact(assertion.encode()).payload)
        client = ApiClient.objects.active().filter(client_id=str(unverified.get("iss", ""))).first()
        if client is None or not client.jwks.get("keys"):
            raise invalid
        token = jwt.decode(assertion, KeySet.import_key_set(client.jwks), algorithms=SIGNING_ALGS)
        claims = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": client.client_id},
            sub={"essential": True, "value": client.client_id},
            aud={"essential": True, "value": token_url},
            exp={"essential": True},
            jti={"essential": True},
        )
        claims.validate(token.claims)
    except (JoseError, ValueError, TypeError, AttributeError, KeyError):
        raise invalid from None
    exp = int(token.claims["exp"])
    if exp > time.time() + 300:
        raise OAuthError("invalid_client", "Assertion valable plus de 5 minutes : refusée.", 401)
    if not cache.add(f"api:jti:{client.client_id}:{token.claims['jti']}", 1, timeout=max(exp - int(time.time()), 1)):
        raise OAuthError("invalid_client", "Assertion déjà utilisée (jti rejoué).", 401)
    return client


def authenticate(request) -> ApiContext:
    """The bearer token's client, or a 401; then the per-client rate limit (429)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() != "bearer " or not header[7:].strip():
        raise _unauthorized("Jeton d’accès absent : obtenez-en un auprès du point de terminaison /fhir/auth/token.")
    token = (
        AccessToken.objects.select_related("client__user")
        .filter(token_hash=digest(header[7:].strip()), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.client.is_active or not token.client.user.is_active:
        raise _unauthorized("Jeton d’accès invalide ou expiré.")
    if not throttle.rate_allowed(token.client.client_id):
        raise FhirError(429, "Trop de requêtes pour ce client : réessayez dans une minute.", code="throttled")
    return ApiContext(client=token.client, granted=scopes.parse(token.scopes) or {}, request=request)


def _unauthorized(message: str) -> FhirError:
    return FhirError(401, message, code="login", headers={"WWW-Authenticate": 'Bearer realm="fhir"'})


def require(ctx: ApiContext, resource_type: str, interaction: str) -> None:
    if not scopes.allows(ctx.granted, resource_type, interaction):
        raise FhirError(
            403,
            f"Portée insuffisante : ce jeton ne permet pas « {interaction} » sur {resource_type}.",
            code="forbidden",
        )
