"""Card login as the application sees it behind the proxy: headers, re-checks, first login, failure page."""

from urllib.parse import quote

import pytest

from tests.factories.accounts import UserFactory
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.models import AuditEvent

from .conftest import CARD_PROXY_SECRET, code_from
from .pki import FINESS, RPPS

pytestmark = pytest.mark.django_db


def _card(client, pki, name, verify="SUCCESS", **extra):
    headers = {"HTTP_X_SSL_CLIENT_VERIFY": verify, "HTTP_X_SSL_CLIENT_CERT": quote(pki.pem(name))}
    headers["HTTP_X_CARD_PROXY_SECRET"] = CARD_PROXY_SECRET  # what our nginx adds
    return client.get("/connexion/carte/", **headers, **extra)


def test_first_card_login_creates_the_account_then_asks_email_and_password(client, card_trust, smtp_server):
    response = _card(client, card_trust, "cps")
    assert response["Location"] == "/connexion/premiere-connexion/"
    from trajectoire.accounts.models import User

    user = User.objects.get(rpps=RPPS)
    assert (user.first_name, user.last_name, user.strong_auth_at is not None) == ("Marie", "MARTIN", True)
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action=Action.LOGIN_SUCCESS, actor=user, means=AuthMeans.CARD).exists()
    page = client.get("/connexion/premiere-connexion/").content.decode()
    assert "Première connexion" in page
    data = {"email": "marie.martin@cabinet.test", "password1": "Un-Mot-De-Passe-Rare-77", "password2": "x"}
    assert "ne sont pas identiques" in client.post("/connexion/premiere-connexion/", data).content.decode()
    data["password1"] = data["password2"] = RPPS + "-secret"
    assert "RPPS" in client.post("/connexion/premiere-connexion/", data).content.decode()
    data["password1"] = data["password2"] = "Un-Mot-De-Passe-Rare-77"
    response = client.post("/connexion/premiere-connexion/", data)
    assert response["Location"] == "/connexion/premiere-connexion/code/"
    message = smtp_server.mailbox.wait_for("marie.martin@cabinet.test")[0]
    assert "Confirmez votre adresse" in message["Subject"]
    response = client.post("/connexion/premiere-connexion/code/", {"code": code_from(message)}, follow=True)
    assert "Votre adresse électronique est confirmée" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "marie.martin@cabinet.test" and user.email_confirmed_at and user.can_use_password_login
    assert len(client.get("/connexion/sessions/").context["rows"]) == 1  # still listed after the new key


def test_password_reset_only_after_card_or_ecps(client, medecin):
    client.force_login(medecin)
    response = client.get("/connexion/premiere-connexion/", follow=True)
    assert "connectez-vous par carte CPx ou par e-CPS" in response.content.decode()


def test_known_account_goes_to_the_dashboard(client, card_trust):
    UserFactory(rpps=RPPS, username=RPPS, strong_auth=True, email_confirmed_at="2026-01-01T00:00Z")
    assert _card(client, card_trust, "cps")["Location"] == "/tableau-de-bord/"


def test_staff_card_needs_an_existing_account(client, card_trust):
    response = _card(client, card_trust, "cpe")
    assert response.status_code == 403
    assert "inconnu de la plateforme" in response.content.decode()
    UserFactory(rpps=None, username=f"3{FINESS}/CPE0042", staff_card_id=f"3{FINESS}/CPE0042")
    assert _card(client, card_trust, "cpe")["Location"] == "/connexion/premiere-connexion/"


@pytest.mark.parametrize(
    ("card", "verify", "extra", "expected"),
    [
        ("cps", "NONE", {}, "Aucun certificat de carte n’a été présenté"),
        ("cps", "FAILED:certificate has expired", {}, "invalide, expiré, révoqué"),
        ("expired", "SUCCESS", {}, "invalide, expiré, révoqué"),  # the app re-checks dates itself
        ("untrusted", "SUCCESS", {}, "invalide, expiré, révoqué"),  # and the issuer, against its own bundle
        ("not_professional", "SUCCESS", {}, "pas une carte de professionnel de santé"),
        # Headers from anyone but a configured proxy are ignored.
        ("cps", "SUCCESS", {"REMOTE_ADDR": "203.0.113.9"}, "Aucun certificat de carte n’a été présenté"),
    ],
)
def test_card_not_recognised_page(client, card_trust, card, verify, extra, expected):
    response = _card(client, card_trust, card, verify, **extra)
    page = response.content.decode()
    assert response.status_code == 403
    assert expected in page
    assert "Se connecter par carte e-CPS" in page and "Tester votre e-CPS" in page
    assert 'href="/connexion/carte/"' not in page  # never back to the card prompt
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILURE, means=AuthMeans.CARD)
    assert event.details["reference"] in page and event.success is False


def test_disabled_account_is_refused(client, card_trust):
    UserFactory(rpps=RPPS, username=RPPS, strong_auth=True, is_active=False)
    assert "compte est désactivé" in _card(client, card_trust, "cps").content.decode()


def test_card_host_only(client, card_trust, settings):
    settings.CARD_HOST = "carte.trajectoire.test"
    assert "Aucun certificat" in _card(client, card_trust, "cps").content.decode()
