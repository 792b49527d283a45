"""Production: everything from the environment; refuses to start without a SECRET_KEY."""

from .base import *  # noqa: F403

DEBUG = False

if CARD_TRUST_BUNDLE and len(CARD_PROXY_SECRET) < 32:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Card login is enabled (CARD_TRUST_BUNDLE) but CARD_PROXY_SECRET is missing or shorter than 32 characters: "
        "without it any local process could send card headers (docs/auth.md)."
    )
