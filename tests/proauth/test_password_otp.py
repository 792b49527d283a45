"""RPPS + password, then the 6-digit code received by e-mail on a real SMTP server (SPEC §2.4)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories.accounts import UserFactory
from tests.support.smtp import Mailbox
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.models import AuditEvent

from .conftest import PASSWORD, code_from, committing_client_class

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_code_page_and_e_mail_then_dashboard(client, medecin, start_password_login, smtp_server):
    code = start_password_login(medecin)
    page = client.get("/connexion/code/").content.decode()
    assert "<h1>J’ai reçu mon code</h1>" in page
    assert "m***n@c***.test" in page and "marie.martin" not in page
    assert "n’est valable que 10 minutes" in page and "un nouveau code doit être demandé" in page
    message = smtp_server.mailbox.to(medecin.email)[0]
    assert "Votre code de connexion" in message["Subject"]
    response = client.post("/connexion/code/", {"code": code})
    assert response["Location"] == "/tableau-de-bord/"
    assert medecin.last_name in client.get("/tableau-de-bord/").content.decode()
    event = AuditEvent.objects.get(action=Action.LOGIN_SUCCESS)
    assert (event.actor, event.means, event.ip) == (medecin, AuthMeans.PASSWORD_OTP, "127.0.0.1")
    assert AuditEvent.objects.filter(action=Action.OTP_SENT, actor=medecin).count() == 1


@pytest.mark.parametrize(
    ("delay", "accepted"),
    [(dt.timedelta(minutes=10, seconds=-1), True), (dt.timedelta(minutes=10, seconds=1), False)],
)
def test_code_valid_ten_minutes(client, medecin, start_password_login, delay, accepted):
    with time_machine.travel(T0, tick=False) as traveller:
        code = start_password_login(medecin)
        traveller.shift(delay)
        response = client.post("/connexion/code/", {"code": code})
    if accepted:
        assert response["Location"] == "/tableau-de-bord/"
    else:
        assert response.status_code == 200
        assert "Ce code a expiré" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_code_cannot_be_replayed(client, medecin, start_password_login):
    code = start_password_login(medecin)
    pending = client.session["proauth_pending"]
    assert client.post("/connexion/code/", {"code": code})["Location"] == "/tableau-de-bord/"
    attacker = Client()
    session = attacker.session
    session["proauth_pending"] = pending  # someone replays the captured step with the same code
    session.save()
    response = attacker.post("/connexion/code/", {"code": code})
    assert "n’est plus valable" in response.content.decode()
    assert attacker.get("/tableau-de-bord/").status_code == 302


def test_sixth_try_refused_even_with_the_right_code(client, medecin, start_password_login):
    code = start_password_login(medecin)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for remaining in (4, 3, 2, 1):
        assert f"Il vous reste {remaining} essai" in client.post("/connexion/code/", {"code": wrong}).content.decode()
    assert "Trop d’essais" in client.post("/connexion/code/", {"code": wrong}).content.decode()
    response = client.post("/connexion/code/", {"code": code})
    assert response.status_code == 200 and "Trop d’essais" in response.content.decode()
    assert client.get("/tableau-de-bord/").status_code == 302


def test_resend_has_a_cooldown_and_voids_the_previous_code(client, medecin, start_password_login, smtp_server):
    with time_machine.travel(T0, tick=False) as traveller:
        first = start_password_login(medecin)
        response = client.post("/connexion/code/renvoyer/", follow=True)
        assert "Patientez encore 60 secondes" in response.content.decode()
        traveller.shift(dt.timedelta(seconds=61))
        response = client.post("/connexion/code/renvoyer/", follow=True)
        assert "Un nouveau code a été envoyé à m***n@c***.test" in response.content.decode()
        second = code_from(smtp_server.mailbox.wait_for(medecin.email, count=2)[-1])
        if first != second:  # the first code no longer opens the session
            page = client.post("/connexion/code/", {"code": first}).content.decode()
            assert "Ce code n’est plus valable, utilisez le dernier reçu" in page
        assert client.post("/connexion/code/", {"code": second})["Location"] == "/tableau-de-bord/"


def test_first_login_must_be_by_card_or_ecps(client, db):
    user = UserFactory(strong_auth_at=None)
    response = client.post("/connexion/", {"rpps": user.rpps, "password": PASSWORD})
    assert response.status_code == 200
    expected = "La première connexion se fait exclusivement par carte CPS/CPE/CPA (ou par e-CPS)"
    assert expected in response.content.decode()


def test_wrong_password_and_invalid_rpps(client, medecin):
    response = client.post("/connexion/", {"rpps": medecin.rpps, "password": "pas-le-bon-mot-de-passe"})
    assert "Numéro RPPS ou mot de passe incorrect" in response.content.decode()
    response = client.post("/connexion/", {"rpps": "12345678901", "password": PASSWORD})
    assert "clé de contrôle" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILURE, actor=medecin, success=False).count() == 1


def test_account_locked_after_repeated_failures_then_cool_off(client, medecin, start_password_login, settings):
    settings.PROAUTH_LOCKOUT_THRESHOLD = 5
    with time_machine.travel(T0, tick=False) as traveller:
        for i in range(5):  # one address counts for at most 3 failures: a lock needs several places
            client.post(
                "/connexion/",
                {"rpps": medecin.rpps, "password": "pas-le-bon-mot-de-passe"},
                REMOTE_ADDR=f"198.51.100.{i}",
            )
        assert AuditEvent.objects.filter(action=Action.ACCOUNT_LOCKED, actor=medecin).exists()
        response = client.post("/connexion/", {"rpps": medecin.rpps, "password": PASSWORD})
        assert response.status_code == 200  # the same answer as a wrong password: nothing says « locked »
        assert "Numéro RPPS ou mot de passe incorrect, ou trop de tentatives" in response.content.decode()
        traveller.shift(dt.timedelta(minutes=16))
        start_password_login(medecin)


def test_per_ip_rate_limit(client, medecin, settings):
    settings.PROAUTH_IP_MAX_ATTEMPTS = 3
    other = UserFactory(strong_auth=True)
    for user in (medecin, other, medecin):
        client.post("/connexion/", {"rpps": user.rpps, "password": "pas-le-bon-mot-de-passe"})
    response = client.post("/connexion/", {"rpps": other.rpps, "password": PASSWORD})
    assert "Trop de tentatives de connexion depuis votre adresse" in response.content.decode()


def test_password_rules(db, tmp_path, settings):
    user = UserFactory.build(rpps="19900000001", username="19900000001")
    with pytest.raises(ValidationError, match="RPPS"):
        validate_password("mon-19900000001-secret", user)
    with pytest.raises(ValidationError, match="trop court"):
        validate_password("Court-1", user)
    with pytest.raises(ValidationError):
        validate_password("password1234", user)
    import hashlib

    breached = "Correct-Horse-Battery-Staple-9"
    passwords = (breached, "a", "b", "c", "d")
    hashes = sorted(hashlib.sha1(p.encode(), usedforsecurity=False).hexdigest().upper() for p in passwords)
    (tmp_path / "pwned.txt").write_text("".join(f"{h}:12\n" for h in hashes))
    settings.PWNED_PASSWORDS_FILE = str(tmp_path / "pwned.txt")
    with pytest.raises(ValidationError, match="fuites de données"):
        validate_password(breached, user)
    validate_password("Un-Autre-Mot-De-Passe-Rare-77", user)


def test_notice_e_mail_on_login_from_a_new_browser(client, medecin, smtp_server, django_capture_on_commit_callbacks):
    def login(browser, count):
        response = browser.post("/connexion/", {"rpps": medecin.rpps, "password": PASSWORD})
        assert response["Location"] == "/connexion/code/"
        code = code_from(smtp_server.mailbox.wait_for(medecin.email, count=count)[-1])
        assert browser.post("/connexion/code/", {"code": code})["Location"] == "/tableau-de-bord/"

    login(client, 1)  # first browser ever: nothing to report
    client.post("/connexion/deconnexion/")
    login(client, 2)  # same browser again (device cookie kept)
    assert not [m for m in smtp_server.mailbox.to(medecin.email) if "Nouvelle connexion" in m["Subject"]]
    login(committing_client_class(django_capture_on_commit_callbacks)(HTTP_USER_AGENT="Navigateur inconnu"), 3)
    notice = smtp_server.mailbox.wait_for(medecin.email, count=4)[-1]
    assert "Nouvelle connexion à votre compte" in notice["Subject"]
    text = Mailbox.text(notice)
    assert "Navigateur inconnu" in text and "Se déconnecter partout" in text
