"""Test profile: same as base, with fast hashing and a fixed key. The database comes from DATABASE_URL."""

import os
import tempfile
from pathlib import Path

_DEFAULTS = {
    "SECRET_KEY": "test-only-not-secret-" + "x" * 32,
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}
# What this profile put in the environment: the served app of the browser tests must not inherit it.
TEST_PROFILE_ENV = [key for key in _DEFAULTS if key not in os.environ]
for _key in TEST_PROFILE_ENV:
    os.environ[_key] = _DEFAULTS[_key]

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run inline in tests, unless a test's subprocess asks for the real database backend.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}}  # noqa: F405
API_SUBSCRIPTION_ALLOW_HTTP = True  # rest-hooks to a local http endpoint
# Tests see their own demandes and units at once (the cache tests turn the caches on).
OBSERVATOIRE_CACHE_SECONDS = 0
OBSERVATOIRE_RETARD_CACHE_SECONDS = 0
DELAI_HABITUEL_CACHE_SECONDS = 0  # tests change the answers between two pages; test_delais turns it on
ROLE_SUMMARY_CACHE_SECONDS = 0  # a rolled-back test's user id comes back on SQLite (tests/accounts turn it on)
DELAIS_CIBLES_CACHE_SECONDS = 0  # likewise for the targets a test writes (tests/demandes/test_delais.py turns it on)
ANNUAIRE_CACHE_SECONDS = 0  # likewise (tests/directory/test_annuaire_cache.py turns it on)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The browser tests run the app in its own processes (gunicorn, worker: tests/support/served.py): the SQLite
    # test database lives in a file they can open (an in-memory database belongs to one process).
    _test_db = Path(tempfile.gettempdir()) / f"trajectoire-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}  # noqa: F405
API_SUBSCRIPTION_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]  # … on loopback (never in prod)
