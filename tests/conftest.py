"""Strict defaults for every test: no network but loopback, a clean mailbox, real database."""

import socket

import pytest

from tests.support.browser import app, browser, journey, served  # noqa: F401 (fixtures of the browser tests)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests talk only to loopback (our own SMTP, OpenID provider, nginx, database)."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
            raise RuntimeError(f"Network access to {host!r} is forbidden in tests.")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def demo_password():
    return "un-Mot-de-passe-solide-42"


@pytest.fixture
def smtp_server(request, settings):
    """A real SMTP server on loopback; Django sends to it. `smtp_server.mailbox` holds what arrived.
    Browser tests get the served app's server, the one its task worker sends to (tests/support/browser.py)."""
    from tests.support.smtp import SmtpServer

    if request.node.get_closest_marker("browser"):
        yield request.getfixturevalue("app").smtp
        return

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        yield server
