"""proauth fixtures. The real SMTP server is the shared `smtp_server` fixture (tests/conftest.py)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories.accounts import UserFactory

PASSWORD = "un-Mot-de-passe-solide-42"
CARD_PROXY_SECRET = "secret-du-proxy-de-test-" + "z" * 16


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


def committing_client_class(capture):
    """A test Client whose requests run their on-commit callbacks (e-mail tasks) as a server's commit would."""

    class CommittingClient(Client):
        def request(self, **request):
            with capture(execute=True):
                return super().request(**request)

    return CommittingClient


@pytest.fixture
def client(django_capture_on_commit_callbacks):
    return committing_client_class(django_capture_on_commit_callbacks)()


@pytest.fixture
def start_password_login(client, smtp_server):
    """Posts RPPS + password and returns the code read from the message the SMTP server received."""

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
    settings.CARD_PROXY_SECRET = CARD_PROXY_SECRET
    return pki


PSC_REF_PRO = {
    "codeCivilite": "MME",
    "exercices": [
        {
            "codeProfession": "10",
            "codeCategorieProfessionnelle": "C",
            "codeSavoirFaire": "SM54",
            "nomDexercice": "MARTIN",
            "prenomDexercice": "Marie",
            "activities": [{"raisonSocialeSite": "CABINET DU DR MARTIN", "codeModeExercice": "L"}],
        }
    ],
}


def psc_user(sub: str, rpps: str, acr: str = "eidas1"):
    from oidc_provider_mock import User as ProviderUser

    claims = {"acr": acr, "SubjectNameID": "8" + rpps, "SubjectRefPro": PSC_REF_PRO, "SubjectOrganization": "x"}
    return ProviderUser(sub=sub, claims=claims)


@pytest.fixture(scope="session")
def psc_provider():
    """A real OpenID provider on loopback (oidc-provider-mock) with Pro Santé Connect-shaped users.

    Its custom user claims are copied into both the ID token and userinfo: that is how `acr`,
    `SubjectNameID` and `SubjectRefPro` reach us as they do from PSC.
    """
    import oidc_provider_mock

    users = [
        psc_user("psc-marie", "19900000001"),
        psc_user("psc-faible", "19900000019", acr="eidas0"),
        psc_user("psc-nouveau", "19900000027"),
    ]
    with oidc_provider_mock.run_server_in_thread(require_nonce=True, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def psc(settings, psc_provider):
    settings.PSC_AUTHORIZATION_ENDPOINT = psc_provider + "/oauth2/authorize"
    settings.PSC_TOKEN_ENDPOINT = psc_provider + "/oauth2/token"
    settings.PSC_USERINFO_ENDPOINT = psc_provider + "/userinfo"
    settings.PSC_JWKS_URI = psc_provider + "/jwks"
    settings.PSC_END_SESSION_ENDPOINT = psc_provider + "/oauth2/end_session"
    settings.PSC_ISSUER = psc_provider
    settings.PSC_CLIENT_ID = "trajectoire-test"
    settings.PSC_CLIENT_SECRET = "secret-de-test"
    return psc_provider
