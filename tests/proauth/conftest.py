"""proauth fixtures. The real SMTP server is the shared `smtp_server` fixture (tests/conftest.py)."""

import re

import pytest
from django.core.cache import cache

from tests.factories.accounts import UserFactory

PASSWORD = "un-Mot-de-passe-solide-42"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Lock-out and rate-limit counters live in the shared cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def medecin(db):
    return UserFactory(strong_auth=True, email="marie.martin@cabinet.test")


def code_from(message) -> str:
    from tests.support.smtp import Mailbox

    match = re.search(r"^\s+(\d{6})\s*$", Mailbox.text(message), re.MULTILINE)
    assert match, "no 6-digit code in the e-mail"
    return match.group(1)


@pytest.fixture
def start_password_login(client, smtp_server, transactional_db):
    """Posts RPPS + password and returns the code read from the message the SMTP server received.

    Transactional: the e-mail task is enqueued on commit, as in production.
    """

    def start(user, password=PASSWORD, count=1):
        response = client.post("/connexion/", {"rpps": user.rpps, "password": password})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == "/connexion/code/"
        return code_from(smtp_server.mailbox.wait_for(user.email, count=count)[-1])

    return start


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    from .pki import CardPki

    return CardPki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def card_trust(settings, pki):
    settings.CARD_TRUST_BUNDLE = str(pki.chain)
    return pki
