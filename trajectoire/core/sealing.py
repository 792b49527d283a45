"""Secrets kept for a moment in the database (an e-mail code, a one-time link waiting for the worker) are
stored encrypted with a key derived from SECRET_KEY, so a copy of the database alone does not open them."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet(purpose: str) -> Fernet:
    key = hashlib.sha256((purpose + settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str, purpose: str) -> str:
    return _fernet(purpose).encrypt(text.encode()).decode()


def unseal(token: str, purpose: str, ttl: int | None = None) -> str | None:
    """The clear text, or None when the token is altered or older than `ttl` seconds."""
    try:
        return _fernet(purpose).decrypt(token.encode(), ttl=ttl).decode()
    except InvalidToken:
        return None
