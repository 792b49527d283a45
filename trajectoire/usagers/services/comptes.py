"""Usager accounts: sign-up, e-mail confirmation (signed link, 24 h), login with lock-out, password reset (24 h)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from trajectoire.accounts.enums import Kind
from trajectoire.accounts.models import User
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.services import record
from trajectoire.core.parsing import parse_id
from trajectoire.core.request_context import client_ip
from trajectoire.notifications.services import queue_email

from .. import throttle

CONFIRMATION_MAX_AGE = 24 * 3600  # the confirmation link is valid 24 h
CONFIRMATION_SALT = "trajectoire.usagers.confirmation"
_DUMMY_HASH = make_password("mot-de-passe-factice-pour-le-temps-constant")


class CompteError(ValueError):
    """A rule refused the action; the message is French and shown to the user."""


class UsagerResetTokenGenerator(PasswordResetTokenGenerator):
    """Single-use (bound to the password hash and last login), valid PASSWORD_RESET_TIMEOUT (24 h)."""

    key_salt = "trajectoire.usagers.reset"


reset_tokens = UsagerResetTokenGenerator()


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


@transaction.atomic
def signup(*, email: str, password: str, first_name: str, last_name: str, request=None) -> User | None:
    """Creates the account and sends the confirmation link; returns None when the address already has one.

    The answer must not tell whether an address is registered (account enumeration): the page says the same
    in both cases, and the owner of an existing account receives an e-mail telling them so instead.
    """
    email = normalise_email(email)
    user = User(username=email, email=email, kind=Kind.USAGER, first_name=first_name, last_name=last_name)
    password_validation.validate_password(password, user)  # same errors whether the address is known or not
    user.set_password(password)  # hashed in both cases: the same time
    existing = User.objects.filter(username=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # two sign-ups racing with the same address
            existing = User.objects.filter(username=email).first()
    if existing is not None:
        record(Action.CREATE, request=request, obj=existing, success=False, reason="adresse_deja_inscrite")
        if existing.kind == Kind.USAGER and existing.is_active:
            _tell_existing_owner(existing)
        return None
    record(Action.CREATE, request=request, actor=user, obj=user, kind=Kind.USAGER)
    send_confirmation(user)
    return user


def _tell_existing_owner(user: User) -> None:
    context = {
        "user": user,
        "connexion": absolute(reverse("usagers:connexion")),
        "mot_de_passe": absolute(reverse("usagers:mot_de_passe")),
    }
    body = render_to_string("usagers/emails/compte_existant.txt", context)
    queue_email(user.email, "[Trajectoire] Vous avez déjà un compte", body)


def confirmation_token(user: User) -> str:
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign_object({"u": user.pk, "e": user.email})


def send_confirmation(user: User) -> None:
    url = absolute(reverse("usagers:confirmer", args=[confirmation_token(user)]))
    body = render_to_string("usagers/emails/confirmation.txt", {"user": user, "url": url})
    queue_email(user.email, "[Trajectoire] Confirmez votre adresse électronique", body, one_time=True)


def _accept_invitations(user: User) -> None:
    from .aidants import accept_invitations  # aidants builds on this module

    accept_invitations(user)


@dataclass
class Confirmation:
    user: User | None
    error: str = ""


def confirm_email(token: str) -> Confirmation:
    try:
        value = signing.TimestampSigner(salt=CONFIRMATION_SALT).unsign_object(token, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        return Confirmation(None, "Ce lien a expiré (il est valable 24 heures). Demandez un nouveau lien.")
    except signing.BadSignature:
        return Confirmation(None, "Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier.")
    user = User.objects.filter(pk=value.get("u"), kind=Kind.USAGER, email=value.get("e"), is_active=True).first()
    if user is None:
        return Confirmation(None, "Ce lien ne correspond à aucun compte actif.")
    if user.email_confirmed_at is None:
        User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(email_confirmed_at=timezone.now())
        user.refresh_from_db(fields=["email_confirmed_at"])
        record(Action.UPDATE, actor=user, obj=user, email_confirmed=True)
        _accept_invitations(user)
    return Confirmation(user)


@dataclass
class LoginResult:
    user: User | None
    error: str = ""


def authenticate(request, email: str, password: str) -> LoginResult:
    """E-mail + password for usagers only; lock-out per account, rate limit per IP; every attempt audited."""
    means = AuthMeans.USAGER_PASSWORD
    if not throttle.ip_allowed(client_ip(request)):
        record(Action.LOGIN_FAILURE, request=request, means=means, success=False, reason="ip_rate_limited")
        return LoginResult(None, "Trop de tentatives depuis cette connexion. Réessayez dans quelques minutes.")
    user = User.objects.filter(username=normalise_email(email), kind=Kind.USAGER).first()
    ip = client_ip(request)
    if user is None:
        check_password(password, _DUMMY_HASH)  # same time as for a known account
        record(Action.LOGIN_FAILURE, request=request, means=means, success=False, reason="unknown")
        return LoginResult(None, LOGIN_FAILED)
    for reason, refused in (("slowed_down", throttle.pair_wait(user, ip)), ("locked", throttle.is_locked(user))):
        if refused:  # the same answer as for an unknown address: nobody learns which accounts exist or are locked
            check_password(password, _DUMMY_HASH)
            record(Action.LOGIN_FAILURE, request=request, actor=user, means=means, success=False, reason=reason)
            return LoginResult(None, LOGIN_FAILED)
    if not user.is_active or not user.check_password(password):
        record(Action.LOGIN_FAILURE, request=request, actor=user, means=means, success=False, reason="password")
        if throttle.register_failure(user, ip):
            record(Action.ACCOUNT_LOCKED, request=request, actor=user, means=means, success=False)
        return LoginResult(None, LOGIN_FAILED)
    throttle.clear_failures(user, ip)
    return LoginResult(user)


# One answer for an unknown address, a wrong password, a locked account and a slowed-down connection.
LOGIN_FAILED = (
    "Adresse électronique ou mot de passe incorrect, ou trop d’essais : réessayez dans quelques minutes "
    "ou réinitialisez votre mot de passe."
)


def request_password_reset(email: str, request=None) -> None:
    """Sends a reset link to a usager account; says nothing about whether the account exists."""
    if request is not None and not throttle.ip_allowed(client_ip(request), scope="reset"):
        return
    user = User.objects.filter(username=normalise_email(email), kind=Kind.USAGER, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = absolute(reverse("usagers:reinitialiser", args=[uid, reset_tokens.make_token(user)]))
    body = render_to_string("usagers/emails/reinitialisation.txt", {"user": user, "url": url})
    queue_email(user.email, "[Trajectoire] Réinitialiser votre mot de passe", body, one_time=True)


def user_for_reset(uidb64: str, token: str) -> User | None:
    try:
        pk = parse_id(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, UnicodeDecodeError):
        return None
    if pk is None:  # « ² », a 23-digit number…: no account
        return None
    user = User.objects.filter(pk=pk, kind=Kind.USAGER, is_active=True).first()
    if user is None or not reset_tokens.check_token(user, token):
        return None
    return user


@transaction.atomic
def reset_password(user: User, password: str, request=None) -> None:
    password_validation.validate_password(password, user)
    user.set_password(password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()  # the link reached the mailbox: the address is confirmed
    user.save(update_fields=["password", "email_confirmed_at"])
    _accept_invitations(user)
    throttle.clear_failures(user)
    record(Action.PASSWORD_CHANGED, request=request, actor=user, means=AuthMeans.USAGER_PASSWORD)
