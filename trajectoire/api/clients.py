"""Registering, listing and revoking API clients (command, référent page and admin call these)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from trajectoire.accounts.enums import Kind, Profession
from trajectoire.accounts.models import Membership, User
from trajectoire.accounts.signals import membership_changed
from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.directory.models import Structure

from .enums import ClientKind
from .models import AccessToken, ApiClient

_DIRECTORY = ["Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole"]
_REFERENCE = ["CodeSystem", "Questionnaire"]
# What each kind of software may do by default (least privilege; the référent may narrow it).
DEFAULT_SCOPES = {
    ClientKind.STRUCTURE: [
        *(f"system/{r}.read" for r in [*_DIRECTORY, *_REFERENCE]),
        *(f"system/{r}.read" for r in ["Patient", "ServiceRequest", "QuestionnaireResponse"]),
        *(f"system/{r}.read system/{r}.write" for r in ["Task", "Communication", "Subscription"]),
        "system/HealthcareService.write",
    ],
    ClientKind.PRESCRIPTEUR: [
        *(f"system/{r}.read" for r in [*_DIRECTORY, *_REFERENCE]),
        *(
            f"system/{r}.read system/{r}.write"
            for r in ["Patient", "ServiceRequest", "QuestionnaireResponse", "Task", "Communication", "Subscription"]
        ),
    ],
}


class ClientError(ValueError):
    """Registration refused; the message is French."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(client: ApiClient, secret: str) -> bool:
    return hmac.compare_digest(client.secret_hash, digest(secret))


PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def check_jwks(jwks) -> None:
    """Public RSA or EC keys only (RFC 7517, RFC 7518 §6): a pasted private key or shared secret is refused,
    never stored (the platform must hold nothing that lets it sign as the software)."""
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    if not (isinstance(jwks, dict) and isinstance(jwks.get("keys"), list) and jwks["keys"]):
        raise ClientError("Le JWKS doit être un objet JSON avec une liste « keys » non vide.")
    for key in jwks["keys"]:
        if not isinstance(key, dict) or key.get("kty") not in ("RSA", "EC"):
            raise ClientError("Le JWKS ne doit contenir que des clés publiques RSA ou EC.")
        if PRIVATE_MEMBERS & set(key):
            raise ClientError("Le JWKS contient une clé PRIVÉE : ne collez que la partie publique, et changez de clé.")
    try:
        KeySet.import_key_set(jwks)
    except (JoseError, ValueError, TypeError, KeyError, AttributeError):
        raise ClientError("Le JWKS contient une clé illisible.") from None


def _technical_account(client_id: str, name: str, structure: Structure, by) -> User:
    """The structure's software acts as an admissions member of the structure.

    Never with the medical habilitation: it is for medical professions known from the national identity only
    (`accounts.permissions.may_hold_medical_habilitation`, issue 14), and the référent who registers the
    software holds its secret: a medical grant here would let her read medical parts through it.
    """
    user = User.objects.create_user(
        f"api:{client_id}", kind=Kind.PROFESSIONNEL, profession=Profession.AUTRE, first_name="Logiciel", last_name=name
    )
    Membership.objects.create(user=user, structure=structure, is_admissions=True, created_by=by)
    return user


@transaction.atomic
def create_client(
    name: str, *, structure: Structure | None = None, prescriber: User | None = None, jwks=None, by=None
) -> tuple[ApiClient, str]:
    """A new client bound to ONE structure or ONE prescriber; returns it with its secret (shown once)."""
    name = (name or "").strip()
    if not name:
        raise ClientError("Donnez un nom au logiciel.")
    if (structure is None) == (prescriber is None):
        raise ClientError("Un client est lié à une structure ou à un prescripteur, et à un seul.")
    if prescriber is not None and not (prescriber.is_active and prescriber.is_professionnel and prescriber.rpps):
        raise ClientError("Le prescripteur doit être un professionnel actif identifié par son RPPS.")
    if jwks is not None:
        check_jwks(jwks)
    client_id = secrets.token_hex(16)  # never starts with « - » (a command-line argument)
    secret = secrets.token_urlsafe(32)
    kind = ClientKind.STRUCTURE if structure is not None else ClientKind.PRESCRIPTEUR
    user = prescriber or _technical_account(client_id, name, structure, by)
    client = ApiClient.objects.create(
        name=name,
        client_id=client_id,
        secret_hash=digest(secret),
        jwks=jwks or {},
        kind=kind,
        structure=structure,
        user=user,
        scopes=" ".join(DEFAULT_SCOPES[kind]),
        created_by=by,
    )
    record(Action.CREATE, actor=by, obj=client, api_client=client_id, kind=kind)
    return client, secret


@transaction.atomic
def revoke_client(client: ApiClient, *, by=None) -> ApiClient:
    """Revocation is immediate: tokens deleted, the technical account and its membership deactivated."""
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    AccessToken.objects.filter(client=client).delete()
    client.subscriptions.update(status="off")
    if client.kind == ClientKind.STRUCTURE:
        User.objects.filter(pk=client.user_id).update(is_active=False)
        Membership.objects.filter(user_id=client.user_id).update(is_active=False)
        membership_changed(Membership)  # a queryset update sends no signal: drop the request's memo
    record(Action.UPDATE, actor=by, obj=client, api_client=client.client_id, revoked=True)
    return client


def clients_managed_by(user):
    """Clients a user may see and revoke: every client for staff, their structures' for a référent."""
    from trajectoire.accounts.enums import Role
    from trajectoire.accounts.permissions import structures_for

    if not user.is_authenticated:
        return ApiClient.objects.none()
    if user.is_staff:
        return ApiClient.objects.all()
    return ApiClient.objects.filter(structure__in=structures_for(user, Role.REFERENT))
