"""Authentication details (issue 14, items 7-9): one cooldown and an hourly cap for every way of issuing a code,
no enumeration of locked accounts, progressive delays per (account, address) before a hard lock, and honest
messages for a replaced code and the last tries."""

import datetime as dt

import pytest
import time_machine

from tests.factories.usagers import FamilleFactory
from trajectoire.proauth.models import OtpChallenge

from .conftest import PASSWORD, code_from

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WRONG = "pas-le-bon-mot-de-passe"


def _login(client, user, password=PASSWORD, ip="127.0.0.1"):
    return client.post("/connexion/", {"rpps": user.rpps, "password": password}, REMOTE_ADDR=ip)


def test_resubmitting_rpps_and_password_sends_no_new_code_within_a_minute(client, medecin, smtp_server):
    with time_machine.travel(T0, tick=False) as traveller:
        _login(client, medecin)
        smtp_server.mailbox.wait_for(medecin.email, count=1)
        _login(client, medecin)
        assert OtpChallenge.objects.filter(user=medecin).count() == 1
        traveller.shift(dt.timedelta(seconds=61))
        _login(client, medecin)
        assert OtpChallenge.objects.filter(user=medecin).count() == 2


def test_an_hourly_cap_on_codes(client, medecin, settings, smtp_server):
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(settings.PROAUTH_OTP_HOURLY_CAP):
            _login(client, medecin)
            traveller.shift(dt.timedelta(seconds=61))
        response = _login(client, medecin)
        assert "Trop de codes demandés" in response.content.decode()
        assert OtpChallenge.objects.filter(user=medecin).count() == settings.PROAUTH_OTP_HOURLY_CAP


def test_locked_and_unknown_accounts_get_the_same_answer(client, medecin, settings):
    settings.PROAUTH_LOCKOUT_THRESHOLD = 3
    for i in range(3):  # three addresses: a hard lock needs failures from several places
        _login(client, medecin, WRONG, ip=f"198.51.100.{i}")
    locked = _login(client, medecin, PASSWORD, ip="203.0.113.5").content.decode()
    unknown = client.post("/connexion/", {"rpps": "10106476764", "password": PASSWORD}).content.decode()
    wrong = _login(client, medecin, WRONG, ip="203.0.113.6").content.decode()

    def message(page):
        start = page.index("errorlist nonfield")
        return page[start : page.index("</ul>", start)]

    assert message(locked) == message(unknown) == message(wrong)
    assert "verrouillé" not in locked and "bloqué" not in locked


def test_one_address_cannot_lock_an_account(client, medecin, settings):
    """From one address, failures slow down that address (progressive delays) but never lock the account."""
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(30):
            _login(client, medecin, WRONG, ip="198.51.100.66")
            traveller.shift(dt.timedelta(minutes=2))
        response = _login(client, medecin, PASSWORD, ip="203.0.113.7")
    assert response.status_code == 302 and response["Location"] == "/connexion/code/"


def test_progressive_delay_for_one_address(client, medecin):
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(3):
            _login(client, medecin, WRONG)
        delayed = _login(client, medecin, PASSWORD)  # the right password, too early: not even checked
        assert delayed.status_code == 200
        traveller.shift(dt.timedelta(minutes=10))
        assert _login(client, medecin, PASSWORD).status_code == 302


def test_a_family_account_cannot_be_locked_from_one_address(client, settings):
    famille = FamilleFactory()
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(20):
            client.post("/usager/connexion/", {"email": famille.email, "password": WRONG}, REMOTE_ADDR="198.51.100.9")
            traveller.shift(dt.timedelta(seconds=30))
        response = client.post("/usager/connexion/", {"email": famille.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_replaced_code_is_named_and_burns_no_try(client, medecin, start_password_login, smtp_server):
    with time_machine.travel(T0, tick=False) as traveller:
        old = start_password_login(medecin)
        traveller.shift(dt.timedelta(seconds=61))
        client.post("/connexion/code/renvoyer/")
        new = code_from(smtp_server.mailbox.wait_for(medecin.email, count=2)[-1])
        if new == old:
            pytest.skip("the two random codes are equal (1 in a million)")
        page = client.post("/connexion/code/", {"code": old}).content.decode()
        assert "Ce code n’est plus valable, utilisez le dernier reçu" in page
        challenge = OtpChallenge.objects.filter(user=medecin).latest("created_at")
        assert challenge.attempts == 0
        assert client.post("/connexion/code/", {"code": new})["Location"] == "/tableau-de-bord/"


def test_the_last_try_before_the_lock_is_announced(client, medecin, start_password_login, settings):
    """The account lock counts code failures too: the page never promises more tries than the account has."""
    settings.PROAUTH_LOCKOUT_THRESHOLD = 3
    code = start_password_login(medecin)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page = client.post("/connexion/code/", {"code": wrong}).content.decode()
    assert "Il vous reste 2 essai(s)" in page
    page = client.post("/connexion/code/", {"code": wrong}).content.decode()
    assert "Il vous reste 1 essai(s)" in page
    page = client.post("/connexion/code/", {"code": wrong}).content.decode()
    assert "temporairement verrouillé" in page and "Il vous reste" not in page
