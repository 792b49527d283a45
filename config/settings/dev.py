"""Demo / development profile: plain http on localhost, e-mails printed unless EMAIL_HOST is set."""

import os

os.environ.setdefault("SECRET_KEY", "demo-only-not-secret-" + "x" * 32)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
if not os.environ.get("EMAIL_HOST"):
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=False)  # noqa: F405  (error pages as a user sees them)
API_SUBSCRIPTION_ALLOW_HTTP = True  # rest-hooks to a local http endpoint
API_SUBSCRIPTION_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]  # … on loopback (never in prod)
