"""Usager accounts: sign-up with a real SMTP server, confirmation (24 h), login lock-out, reset (24 h)."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.usagers import FamilleFactory
from trajectoire.accounts.enums import Kind
from trajectoire.accounts.models import User
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.models import AuditEvent

from .conftest import PASSWORD, link_in

SIGNUP = {
    "first_name": "Claire",
    "last_name": "Bernard",
    "email": "Claire.Bernard@Exemple.test",
    "password": PASSWORD,
    "password2": PASSWORD,
}


pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return urlparse(url).path


@pytest.fixture
def signed_up(client, smtp_server, django_capture_on_commit_callbacks):
    """Signs up through the page; returns the link read from the message the SMTP server received.

    The e-mail is sent by the task run on commit, as in production (callbacks executed at the end).
    """
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/usager/inscription/", SIGNUP)
    assert response.status_code == 302, response.content.decode()[:3000]
    message = smtp_server.mailbox.wait_for("claire.bernard@exemple.test")[0]
    assert "Confirmez votre adresse" in message["Subject"]
    return link_in(message)


def test_sign_up_then_confirm_with_the_link_received_by_e_mail(client, signed_up):
    user = User.objects.get(username="claire.bernard@exemple.test")
    assert user.kind == Kind.USAGER and user.email_confirmed_at is None
    page = client.get("/usager/inscription/envoyee/").content.decode()
    assert "Vérifiez votre messagerie" in page and "claire.bernard@exemple.test" in page
    # Not logged in by the sign-up itself (the answer is the same for a known address); the password works at once.
    assert "Se connecter" in client.get("/usager/").content.decode()
    client.post("/usager/connexion/", {"email": SIGNUP["email"], "password": PASSWORD})
    assert "Confirmez votre adresse électronique" in client.get("/usager/").content.decode()
    response = client.get(_path(signed_up), follow=True)
    assert "votre adresse électronique est confirmée" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert "Confirmez votre adresse électronique" not in client.get("/usager/").content.decode()


def test_confirmation_link_works_without_being_logged_in(client, signed_up):
    response = client.get(_path(signed_up), follow=True)
    assert response.redirect_chain[-1][0] == "/usager/connexion/"
    assert "votre adresse électronique est confirmée" in response.content.decode()
    assert User.objects.get(username="claire.bernard@exemple.test").email_confirmed_at is not None


def test_confirmation_link_expires_after_24_hours(client, signed_up):
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        response = client.get(_path(signed_up))
    assert "Ce lien a expiré" in response.content.decode()
    assert User.objects.get(username="claire.bernard@exemple.test").email_confirmed_at is None
    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        client.get(_path(signed_up))
    assert User.objects.get(username="claire.bernard@exemple.test").email_confirmed_at is not None


def test_tampered_link_is_refused(client, signed_up):
    response = client.get(_path(signed_up)[:-3] + "xyz/")
    assert "Ce lien n’est pas valide" in response.content.decode()


def test_sign_up_refuses_a_short_password(client, db):
    response = client.post("/usager/inscription/", {**SIGNUP, "password": "court", "password2": "court"})
    assert "12 caractères" in response.content.decode()
    assert not User.objects.filter(username="claire.bernard@exemple.test").exists()


def test_sign_up_does_not_reveal_an_existing_address(client, smtp_server, django_capture_on_commit_callbacks):
    owner = FamilleFactory(username="deja@exemple.test")
    before = owner.password
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/usager/inscription/", {**SIGNUP, "email": "DEJA@exemple.test"})
    # The same answer as for a new address: redirected to « Vérifiez votre messagerie », nobody logged in.
    assert response.status_code == 302 and response["Location"] == "/usager/inscription/envoyee/"
    assert "deja@exemple.test" in client.get(response["Location"]).content.decode()
    assert "_auth_user_id" not in client.session
    owner.refresh_from_db()
    assert owner.password == before and User.objects.filter(username="deja@exemple.test").count() == 1
    message = smtp_server.mailbox.wait_for("deja@exemple.test")[0]
    assert "Vous avez déjà un compte" in message["Subject"]
    assert "/usager/mot-de-passe/" in message.get_payload(decode=True).decode()
    event = AuditEvent.objects.get(action=Action.CREATE, success=False)
    assert event.object_id == str(owner.pk) and event.details == {"reason": "adresse_deja_inscrite"}


def test_login_with_email_and_password_is_audited(client, db):
    user = FamilleFactory(username="c.b@exemple.test")
    response = client.post("/usager/connexion/", {"email": "C.B@exemple.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/usager/"
    event = AuditEvent.objects.get(action=Action.LOGIN_SUCCESS, actor=user)
    assert event.means == AuthMeans.USAGER_PASSWORD
    client.post("/usager/deconnexion/")
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=user).exists()
    assert "Se connecter" in client.get("/usager/").content.decode()


def test_account_locked_after_repeated_failures(client, db, settings):
    settings.USAGERS_LOCKOUT_THRESHOLD = 3
    user = FamilleFactory(username="c.b@exemple.test")
    for i in range(3):  # from three addresses: one address alone only slows itself down
        response = client.post(
            "/usager/connexion/",
            {"email": user.email, "password": "mauvais-mot-de-passe"},
            REMOTE_ADDR=f"198.51.100.{i}",
        )
    assert "ou trop d’essais" in response.content.decode()
    response = client.post("/usager/connexion/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200 and "ou trop d’essais" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_LOCKED, actor=user).count() == 1
    failures = AuditEvent.objects.filter(action=Action.LOGIN_FAILURE, actor=user, means=AuthMeans.USAGER_PASSWORD)
    assert failures.count() == 4


def test_rate_limit_per_ip_covers_unknown_accounts(client, db, settings):
    settings.USAGERS_IP_MAX_ATTEMPTS = 2
    for n in range(2):
        client.post("/usager/connexion/", {"email": f"x{n}@exemple.test", "password": "x" * 12})
    response = client.post("/usager/connexion/", {"email": "autre@exemple.test", "password": "x" * 12})
    assert "Trop de tentatives depuis cette connexion" in response.content.decode()


def test_professionals_cannot_log_in_here(client, db):
    doctor = UserFactory(medecin=True, email="dr@exemple.test")
    response = client.post("/usager/connexion/", {"email": doctor.email, "password": PASSWORD})
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


def test_password_reset_by_e_mail_link_valid_24_hours_single_use(
    client, smtp_server, django_capture_on_commit_callbacks
):
    user = FamilleFactory(username="c.b@exemple.test")
    UserFactory(medecin=True, email="dr@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/usager/mot-de-passe/", {"email": "dr@exemple.test"})  # a professional: nothing is sent
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/usager/mot-de-passe/", {"email": user.email})
    assert "Vérifiez votre messagerie" in response.content.decode()
    link = _path(link_in(smtp_server.mailbox.wait_for(user.email)[0]))
    assert smtp_server.mailbox.to("dr@exemple.test") == []
    new = "un-Autre-mot-de-passe-2026"
    # Django's reset tokens count in naive local time, which time-machine shifts by the UTC offset: +26 h.
    with time_machine.travel(timezone.now() + timedelta(hours=26)):
        assert "n’est plus valable" in client.get(link).content.decode()
    response = client.post(link, {"password": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert "n’est plus valable" in client.get(link).content.decode()  # single use
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED, actor=user).exists()
