"""Six-digit e-mail codes: generated here, stored as a keyed hash, checked once, at most 5 tries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from trajectoire.core import sealing

from .enums import OtpPurpose
from .models import OtpChallenge

CODE_VALIDITY = timedelta(minutes=10)


class Check(Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"  # already used, or replaced by a newer code
    STALE = "stale"  # the code of an earlier challenge of this login, typed after a newer one was sent
    TOO_MANY = "too_many"
    MISSING = "missing"


@dataclass
class Outcome:
    check: Check
    remaining: int = 0


def _hash(salt: str, code: str) -> str:
    return salt + "$" + salted_hmac("trajectoire.proauth.otp" + salt, code, algorithm="sha256").hexdigest()


_SEAL = "trajectoire.proauth.otp-mail"


def seal(code: str) -> str:
    """The code as it travels in the task queue: encrypted, so the database never holds it in clear."""
    return sealing.seal(code, _SEAL)


def unseal(token: str) -> str | None:
    """The clear code, or None once the code's validity is over (a late worker sends nothing)."""
    return sealing.unseal(token, _SEAL, ttl=int(CODE_VALIDITY.total_seconds()))


@transaction.atomic
def issue(user, purpose: OtpPurpose = OtpPurpose.LOGIN, sent_to: str = "") -> tuple[OtpChallenge, str]:
    """A new code for `user`; every earlier open code of the same purpose stops working."""
    now = timezone.now()
    OtpChallenge.objects.filter(user=user, purpose=purpose, used_at=None, voided_at=None).update(voided_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    challenge = OtpChallenge.objects.create(
        user=user,
        purpose=purpose,
        code_hash=_hash(secrets.token_hex(8), code),
        sent_to=sent_to or user.email,
        created_at=now,
        expires_at=now + CODE_VALIDITY,
    )
    return challenge, code


def check(challenge_id: int, user, code: str, purpose: OtpPurpose = OtpPurpose.LOGIN) -> Outcome:
    """Check a typed code. A try is counted before comparing, so parallel guesses cannot exceed the limit."""
    now = timezone.now()
    challenges = OtpChallenge.objects.filter(pk=challenge_id, user=user, purpose=purpose)
    counted = challenges.filter(
        used_at=None, voided_at=None, attempts__lt=OtpChallenge.MAX_ATTEMPTS, expires_at__gte=now
    ).update(attempts=F("attempts") + 1)
    challenge = challenges.first()
    if challenge is None:
        return Outcome(Check.MISSING)
    if not counted:
        if challenge.used_at or challenge.voided_at:
            return Outcome(Check.USED)
        if challenge.attempts >= OtpChallenge.MAX_ATTEMPTS:
            return Outcome(Check.TOO_MANY)
        return Outcome(Check.EXPIRED)
    salt = challenge.code_hash.split("$", 1)[0]
    if not constant_time_compare(_hash(salt, code.strip()), challenge.code_hash):
        if _is_earlier_code(challenge, code.strip()):
            challenges.update(attempts=F("attempts") - 1)  # the try is given back: the person is not guessing
            return Outcome(Check.STALE)
        remaining = OtpChallenge.MAX_ATTEMPTS - challenge.attempts
        return Outcome(Check.WRONG if remaining else Check.TOO_MANY, remaining)
    used = challenges.filter(used_at=None, voided_at=None).update(used_at=now)
    return Outcome(Check.OK if used else Check.USED)


def _is_earlier_code(challenge: OtpChallenge, code: str) -> bool:
    """Whether `code` is one of the few codes sent to this user before `challenge`, within their validity."""
    earlier = OtpChallenge.objects.filter(
        user_id=challenge.user_id,
        purpose=challenge.purpose,
        created_at__lt=challenge.created_at,
        created_at__gte=challenge.created_at - CODE_VALIDITY,
    ).order_by("-created_at")[:5]
    return any(constant_time_compare(_hash(c.code_hash.split("$", 1)[0], code), c.code_hash) for c in earlier)


def mask_email(address: str) -> str:
    """`marie.martin@exemple.fr` -> `m***n@e***.fr`: enough to recognise, not to read."""
    local, _, domain = address.partition("@")
    if not domain:
        return "***"
    host, _, tld = domain.rpartition(".")
    masked_local = local[0] + "***" + (local[-1] if len(local) > 1 else "")
    return f"{masked_local}@{(host or tld)[0]}***.{tld if host else ''}".rstrip(".")
