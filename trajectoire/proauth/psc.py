"""e-CPS through Pro Santé Connect: OpenID Connect authorization code + PKCE, endpoints from settings."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import ssl
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.urls import reverse
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from trajectoire.accounts.enums import RPPS_PROFESSION_CODES

from .identity import NationalId, parse_national_id

logger = logging.getLogger(__name__)

SESSION = "proauth_psc"
ID_TOKEN = "proauth_psc_id_token"  # noqa: S105 (a session key name)
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


class PscError(Exception):
    """A failed e-CPS login. `code` is logged and audited; `message` is what the user reads."""

    MESSAGES = {
        "unavailable": "Pro Santé Connect ne répond pas pour le moment. Réessayez dans quelques minutes "
        "ou connectez-vous par carte CPx.",
        "state": "La demande de connexion e-CPS a expiré ou ne correspond pas à cette fenêtre. Recommencez.",
        "denied": "La connexion e-CPS a été annulée ou refusée par Pro Santé Connect.",
        "acr": "Le niveau d’authentification e-CPS obtenu est insuffisant (niveau eIDAS substantiel requis).",
        "token": "La réponse de Pro Santé Connect n’a pas pu être vérifiée. Recommencez la connexion.",
        "identity": "Pro Santé Connect n’a pas transmis de numéro RPPS exploitable pour ce compte.",
        "not_configured": "La connexion e-CPS n’est pas configurée sur cette plateforme.",
    }

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.message = self.MESSAGES.get(code, self.MESSAGES["token"])


@dataclass
class PscIdentity:
    national_id: NationalId
    first_name: str = ""
    last_name: str = ""
    profession: str = ""
    professions: list[str] = field(default_factory=list)
    id_token: str = ""  # kept in the session after login, for the end_session_endpoint


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def redirect_uri(request) -> str:
    return settings.PSC_REDIRECT_URI or request.build_absolute_uri(reverse("proauth:ecps_callback"))


def authorization_url(request) -> str:
    if not (settings.PSC_AUTHORIZATION_ENDPOINT and settings.PSC_CLIENT_ID):
        raise PscError("not_configured")
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    request.session[SESSION] = {"state": state, "nonce": nonce, "verifier": verifier}
    params = {
        "response_type": "code",
        "client_id": settings.PSC_CLIENT_ID,
        "redirect_uri": redirect_uri(request),
        "scope": settings.PSC_SCOPE,
        "acr_values": settings.PSC_ACR_VALUES,
        "state": state,
        "nonce": nonce,
        "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    return f"{settings.PSC_AUTHORIZATION_ENDPOINT}?{urlencode(params)}"


def _client(with_cert: bool = False) -> httpx.Client:
    context = ssl.create_default_context(cafile=settings.PSC_CA_BUNDLE or None)
    if with_cert and settings.PSC_CLIENT_CERT:
        context.load_cert_chain(settings.PSC_CLIENT_CERT, settings.PSC_CLIENT_KEY or None)
    return httpx.Client(verify=context, timeout=httpx.Timeout(settings.PSC_TIMEOUT, connect=5.0))


def _fetch(method: str, url: str, *, with_cert=False, **kwargs) -> httpx.Response:
    try:
        with _client(with_cert) as client:
            response = client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        logger.warning("psc call failed", extra={"event": "psc_unavailable", "error": type(exc).__name__})
        raise PscError("unavailable") from exc
    if response.status_code >= 500:
        raise PscError("unavailable")
    if response.status_code >= 400:
        logger.warning("psc call refused", extra={"event": "psc_refused", "status": response.status_code})
        raise PscError("token")
    return response


def _decode(token: str, keys: KeySet) -> dict:
    try:
        return dict(jwt.decode(token, keys, algorithms=ALGORITHMS).claims)
    except (JoseError, ValueError) as exc:
        raise PscError("token") from exc


def _validate_id_token(claims: dict, nonce: str) -> None:
    registry = jwt.JWTClaimsRegistry(
        leeway=60,
        iss={"essential": True, **({"value": settings.PSC_ISSUER} if settings.PSC_ISSUER else {})},
        aud={"essential": True, "value": settings.PSC_CLIENT_ID},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise PscError("token") from exc
    if claims.get("acr") not in settings.PSC_ACCEPTED_ACR:
        raise PscError("acr")


def _identity(userinfo: dict) -> PscIdentity:
    national_id = parse_national_id(str(userinfo.get("SubjectNameID", "")))
    if national_id is None or national_id.kind != "rpps":
        raise PscError("identity")
    ref_pro = userinfo.get("SubjectRefPro") or {}
    exercices = ref_pro.get("exercices") or [] if isinstance(ref_pro, dict) else []
    codes = [str(e.get("codeProfession", "")) for e in exercices if isinstance(e, dict)]
    professions = [str(RPPS_PROFESSION_CODES[c]) for c in codes if c in RPPS_PROFESSION_CODES]
    first = exercices[0] if exercices and isinstance(exercices[0], dict) else {}
    return PscIdentity(
        national_id=national_id,
        first_name=str(userinfo.get("given_name") or first.get("prenomDexercice") or ""),
        last_name=str(userinfo.get("family_name") or first.get("nomDexercice") or ""),
        profession=professions[0] if professions else "",
        professions=professions,
    )


def complete(request, params) -> PscIdentity:
    """The callback: check state, exchange the code (PKCE), verify the ID token, read userinfo."""
    pending = request.session.pop(SESSION, None) or {}
    if not pending or not secrets.compare_digest(str(params.get("state", "")), pending.get("state", "")):
        raise PscError("state")
    if params.get("error") or not params.get("code"):
        raise PscError("denied")
    data = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "redirect_uri": redirect_uri(request),
        "code_verifier": pending["verifier"],
        "client_id": settings.PSC_CLIENT_ID,
        "client_secret": settings.PSC_CLIENT_SECRET,
    }
    tokens = _fetch("POST", settings.PSC_TOKEN_ENDPOINT, with_cert=True, data=data).json()
    keys = KeySet.import_key_set(_fetch("GET", settings.PSC_JWKS_URI).json())
    if not tokens.get("id_token") or not tokens.get("access_token"):
        raise PscError("token")
    claims = _decode(tokens["id_token"], keys)
    _validate_id_token(claims, pending["nonce"])
    response = _fetch(
        "GET", settings.PSC_USERINFO_ENDPOINT, headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    if response.headers.get("content-type", "").startswith("application/jwt"):
        userinfo = _decode(response.text.strip(), keys)
    else:
        userinfo = response.json()
    if userinfo.get("sub") != claims.get("sub"):
        raise PscError("token")
    identity = _identity(userinfo)
    identity.id_token = tokens["id_token"]
    return identity


def end_session_url(request) -> str:
    """Where to send the browser at logout after an e-CPS login (the provider's end_session_endpoint)."""
    id_token = request.session.get(ID_TOKEN)
    if not (id_token and settings.PSC_END_SESSION_ENDPOINT):
        return ""
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": settings.PSC_POST_LOGOUT_REDIRECT_URI or request.build_absolute_uri("/"),
        "state": secrets.token_urlsafe(16),
    }
    return f"{settings.PSC_END_SESSION_ENDPOINT}?{urlencode(params)}"
