"""Known devices: an e-mail notice when an account logs in from a browser it never used before."""

from __future__ import annotations

import hashlib
import secrets
from functools import partial

from django.conf import settings
from django.db import transaction

from .models import KnownDevice

COOKIE = "trajectoire_appareil"
COOKIE_AGE = 400 * 24 * 3600


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def remember(request, user, means: str) -> None:
    """Called at login. A new device of an account that already had one triggers a notice e-mail."""
    from .tasks import send_new_device_notice

    token = request.COOKIES.get(COOKIE, "")
    if len(token) < 32:
        token = secrets.token_urlsafe(32)
    request.proauth_device_token = token
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    known = KnownDevice.objects.filter(user=user)
    had_devices = known.exists()
    _, created = known.get_or_create(user=user, token_hash=_hash(token), defaults={"user_agent": agent})
    if created and had_devices and user.email:
        transaction.on_commit(partial(send_new_device_notice.enqueue, user.pk, str(means), agent))


def set_cookie(request, response) -> None:
    token = getattr(request, "proauth_device_token", None)
    if token and request.COOKIES.get(COOKIE) != token:
        response.set_cookie(
            COOKIE,
            token,
            max_age=COOKIE_AGE,
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
