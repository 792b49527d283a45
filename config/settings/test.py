"""Test profile: same as base, with fast hashing and a fixed key. The database comes from DATABASE_URL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 32)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run inline in tests, unless a test's subprocess asks for the real database backend.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}}  # noqa: F405
API_SUBSCRIPTION_ALLOW_HTTP = True  # rest-hooks to a local http endpoint
API_SUBSCRIPTION_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]  # … on loopback (never in prod)
