"""e-CPS through a real OpenID provider on loopback, shaped like Pro Santé Connect (SPEC §2.3)."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.factories.accounts import UserFactory
from trajectoire.accounts.models import User
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _authorize(client, sub):
    """Start at /connexion/e-cps/, let the user `sub` consent at the provider, return the callback URL."""
    response = client.get("/connexion/e-cps/")
    assert response.status_code == 302
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["scope"] == ["openid scope_all"] and query["acr_values"] == ["eidas1"]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    consent = httpx.post(location, data={"sub": sub}, follow_redirects=False, timeout=10)
    assert consent.status_code == 302, consent.text[:500]
    callback = urlsplit(consent.headers["location"])
    return f"{callback.path}?{callback.query}"


def test_ecps_login_known_doctor(client, psc):
    user = UserFactory(
        rpps="19900000001", username="19900000001", strong_auth=True, email_confirmed_at="2026-01-01T00:00Z"
    )
    response = client.get(_authorize(client, "psc-marie"))
    assert response["Location"] == "/tableau-de-bord/"
    assert AuditEvent.objects.filter(action=Action.LOGIN_SUCCESS, actor=user, means=AuthMeans.ECPS).exists()
    response = client.post("/connexion/deconnexion/")
    assert response["Location"].startswith(psc + "/oauth2/end_session?id_token_hint=")
    assert client.get("/tableau-de-bord/").status_code == 302


def test_ecps_first_login_creates_the_account_from_psc_claims(client, psc):
    response = client.get(_authorize(client, "psc-nouveau"))
    assert response["Location"] == "/connexion/premiere-connexion/"
    user = User.objects.get(rpps="19900000027")
    assert (user.first_name, user.last_name, user.profession) == ("Marie", "MARTIN", "medecin")
    assert user.strong_auth_at is not None


def test_ecps_wrong_acr_is_refused(client, psc):
    response = client.get(_authorize(client, "psc-faible"))
    assert response.status_code == 400
    assert "niveau d’authentification e-CPS obtenu est insuffisant" in response.content.decode()
    assert not User.objects.filter(rpps="19900000019").exists()


def test_ecps_wrong_state_is_refused(client, psc):
    callback = _authorize(client, "psc-marie")
    tampered = callback.replace("state=", "state=x")
    response = client.get(tampered)
    assert response.status_code == 400 and "Recommencez" in response.content.decode()
    assert client.get(callback).status_code == 400  # the state is spent: no second chance either


def test_ecps_wrong_nonce_is_refused(client, psc):
    callback = _authorize(client, "psc-marie")
    session = client.session
    session["proauth_psc"]["nonce"] = "un-autre-nonce"
    session.save()
    response = client.get(callback)
    assert response.status_code == 400
    assert "n’a pas pu être vérifiée" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.LOGIN_FAILURE, means=AuthMeans.ECPS, details__reason="token"
    ).exists()


def test_ecps_unknown_rpps_with_disabled_account_is_refused(client, psc):
    UserFactory(rpps="19900000001", username="19900000001", is_active=False)
    response = client.get(_authorize(client, "psc-marie"))
    assert response.status_code == 403 and "compte est désactivé" in response.content.decode()


def test_provider_down_gives_a_clear_message(client, psc, settings):
    from tests.support.smtp import free_port

    callback = _authorize(client, "psc-marie")
    settings.PSC_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/token"  # nobody listens there
    response = client.get(callback)
    assert response.status_code == 503
    assert "Pro Santé Connect ne répond pas pour le moment" in response.content.decode()
