"""The browser tests' server: the demo profile of `make run` (config.settings.dev), only faster.

A test-only profile may change speed, never behaviour: the test factories hash passwords with MD5 (fast), the
served app must verify them. Everything else (static storage, CSP, e-mail by SMTP, task worker) is dev's.
"""

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
