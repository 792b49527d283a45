"""Authentication rules shared by the views: password + code, strong logins (card, e-CPS), first login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trajectoire.accounts import mssante
from trajectoire.accounts.enums import Kind
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.services import record
from trajectoire.core.request_context import client_ip

from . import otp, throttle
from .enums import OtpPurpose
from .models import OtpChallenge
from .tasks import send_code

RESEND_COOLDOWN = timedelta(seconds=60)
FIRST_LOGIN_MESSAGE = (
    "La première connexion se fait exclusivement par carte CPS/CPE/CPA (ou par e-CPS). "
    "Connectez-vous une première fois par carte ou e-CPS et choisissez alors votre mot de passe."
)
# One answer for an unknown account, a wrong password, a locked account and a slowed-down address: the page
# never tells which accounts exist or are locked.
GENERIC_FAILURE = (
    "Numéro RPPS ou mot de passe incorrect, ou trop de tentatives : réessayez dans quelques minutes, "
    "ou connectez-vous par carte CPx ou e-CPS."
)
CODE_LIMIT_MESSAGE = (
    "Trop de codes demandés en une heure : réessayez plus tard, ou connectez-vous par carte CPx ou e-CPS."
)
LOCKED_MESSAGE = (
    "Trop de tentatives infructueuses : ce compte est temporairement verrouillé. "
    "Réessayez dans 15 minutes, ou connectez-vous par carte CPx ou e-CPS."
)
IP_LIMIT_MESSAGE = "Trop de tentatives de connexion depuis votre adresse. Réessayez dans quelques minutes."


@dataclass
class PasswordStep:
    error: str = ""
    challenge: OtpChallenge | None = None
    user: object = None


def _failure(request, user, reason: str, **details) -> None:
    record(
        Action.LOGIN_FAILURE,
        request=request,
        actor=user,
        means=AuthMeans.PASSWORD_OTP,
        success=False,
        reason=reason,
        **details,
    )
    throttle.register_ip_failure(client_ip(request))
    if user is not None and throttle.register_failure(user, client_ip(request)):
        record(Action.ACCOUNT_LOCKED, request=request, actor=user, means=AuthMeans.PASSWORD_OTP, success=False)


class CodeLimit(Exception):
    """Too many codes this hour; the message is for the user."""


def send_new_code(request, user, purpose: OtpPurpose = OtpPurpose.LOGIN, to: str = "") -> OtpChallenge:
    """Issue a code and hand the e-mail to the worker once the transaction commits.

    Every way of issuing a code goes through here: within `RESEND_COOLDOWN` of the last one (same purpose,
    same address, still open) that code is returned and nothing is sent; beyond `PROAUTH_OTP_HOURLY_CAP`
    codes in an hour, CodeLimit.
    """
    via_mssante = False
    if not to and purpose == OtpPurpose.LOGIN:  # login codes go to the MSSanté mailbox when the relay is set
        to, via_mssante = mssante.destination(user, user.email)
    to = to or user.email
    now = timezone.now()
    issued = OtpChallenge.objects.filter(user=user, purpose=purpose)
    recent = issued.filter(created_at__gt=now - RESEND_COOLDOWN, used_at=None, voided_at=None, sent_to=to).first()
    if recent is not None:
        return recent
    if issued.filter(created_at__gt=now - timedelta(hours=1)).count() >= settings.PROAUTH_OTP_HOURLY_CAP:
        record(Action.OTP_SENT, request=request, actor=user, success=False, purpose=str(purpose), reason="cap")
        raise CodeLimit(CODE_LIMIT_MESSAGE)
    with transaction.atomic():
        challenge, code = otp.issue(user, purpose, sent_to=to)
        sealed = otp.seal(code)
        transaction.on_commit(partial(send_code.enqueue, user.pk, str(purpose), sealed, to, via_mssante))
    record(Action.OTP_SENT, request=request, actor=user, means=AuthMeans.PASSWORD_OTP, purpose=str(purpose))
    return challenge


def password_step(request, rpps: str, password: str) -> PasswordStep:
    """First factor: RPPS + password. On success a code is e-mailed and the challenge returned."""
    if not throttle.ip_allowed(client_ip(request)):
        record(Action.LOGIN_FAILURE, request=request, means=AuthMeans.PASSWORD_OTP, success=False, reason="ip_limit")
        return PasswordStep(error=IP_LIMIT_MESSAGE)
    user = get_user_model().objects.filter(rpps=rpps, kind=Kind.PROFESSIONNEL).first()
    if user is None or not user.is_active:
        _failure(request, None, "unknown_or_inactive")
        return PasswordStep(error=GENERIC_FAILURE)
    if throttle.pair_wait(user, client_ip(request)):
        record(Action.LOGIN_FAILURE, request=request, actor=user, means=AuthMeans.PASSWORD_OTP, success=False,
               reason="slowed_down")  # fmt: skip
        return PasswordStep(error=GENERIC_FAILURE)
    if throttle.is_locked(user):
        _failure(request, user, "locked")
        return PasswordStep(error=GENERIC_FAILURE)
    if user.strong_auth_at is None:
        _failure(request, user, "no_strong_login_yet")
        return PasswordStep(error=FIRST_LOGIN_MESSAGE)
    if not user.check_password(password) or not user.can_use_password_login:
        _failure(request, user, "bad_password")
        return PasswordStep(error=GENERIC_FAILURE)
    if not user.email:
        _failure(request, user, "no_email")
        return PasswordStep(error="Aucune adresse électronique n’est enregistrée : connectez-vous par carte ou e-CPS.")
    try:
        return PasswordStep(challenge=send_new_code(request, user), user=user)
    except CodeLimit as exc:
        return PasswordStep(error=str(exc))


def code_step(request, user, challenge_id: int, code: str, purpose: OtpPurpose = OtpPurpose.LOGIN) -> tuple[bool, str]:
    """Second factor. Returns (accepted, message for the user)."""
    if not throttle.ip_allowed(client_ip(request)):
        return False, IP_LIMIT_MESSAGE
    if throttle.is_locked(user):
        return False, LOCKED_MESSAGE
    outcome = otp.check(challenge_id, user, code, purpose)
    if outcome.check is otp.Check.OK:
        throttle.clear_failures(user, client_ip(request))
        return True, ""
    if outcome.check is otp.Check.STALE:  # an earlier code of this login: no try spent
        record(Action.LOGIN_FAILURE, request=request, actor=user, means=AuthMeans.PASSWORD_OTP, success=False,
               reason="code_stale", purpose=str(purpose))  # fmt: skip
        return False, "Ce code n’est plus valable, utilisez le dernier reçu."
    _failure(request, user, f"code_{outcome.check.value}", purpose=str(purpose))
    if throttle.is_locked(user):
        return False, LOCKED_MESSAGE
    remaining = min(outcome.remaining, throttle.failures_left(user))  # never promise more than the account has
    messages = {
        otp.Check.WRONG: f"Code incorrect. Il vous reste {remaining} essai(s).",
        otp.Check.EXPIRED: "Ce code a expiré (validité : 10 minutes). Demandez un nouveau code.",
        otp.Check.USED: "Ce code n’est plus valable : il a déjà servi ou un nouveau code a été demandé.",
        otp.Check.TOO_MANY: "Trop d’essais incorrects : ce code n’est plus valable. Demandez un nouveau code.",
        otp.Check.MISSING: "Aucun code en attente. Recommencez la connexion.",
    }
    return False, messages[outcome.check]


def resend_wait(user, purpose: OtpPurpose = OtpPurpose.LOGIN) -> int:
    """Seconds left before another code may be sent (0 if allowed)."""
    last = OtpChallenge.objects.filter(user=user, purpose=purpose).order_by("-created_at").first()
    if last is None:
        return 0
    left = (last.created_at + RESEND_COOLDOWN - timezone.now()).total_seconds()
    return max(0, int(left) + (1 if left % 1 else 0))
