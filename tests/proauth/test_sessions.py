"""Session policy (30 min idle, 12 h max) and "Mes sessions actives" (SPEC §2.7)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories.accounts import UserFactory
from trajectoire.audit.enums import Action
from trajectoire.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _logged_in(user, agent="Firefox"):
    client = Client(HTTP_USER_AGENT=agent)
    client.force_login(user)
    assert client.get("/connexion/sessions/").status_code == 200
    return client


def test_session_ends_after_30_minutes_without_activity(medecin):
    with time_machine.travel(T0, tick=False) as traveller:
        client = _logged_in(medecin)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/connexion/sessions/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/connexion/sessions/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/connexion/")
    assert "Votre session a expiré après 30 minutes d’inactivité" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.SESSION_ENDED, actor=medecin, details__reason="inactivity").exists()


def test_session_ends_after_12_hours_even_when_active(medecin):
    with time_machine.travel(T0, tick=False) as traveller:
        client = _logged_in(medecin)
        for _ in range(28):  # active every 25 minutes: 11 h 40
            traveller.shift(dt.timedelta(minutes=25))
            assert client.get("/connexion/sessions/").status_code == 200
        traveller.shift(dt.timedelta(minutes=25))
        response = client.get("/connexion/sessions/", follow=True)
    assert "durée maximale de 12 heures" in response.content.decode()


@pytest.fixture(params=["db", "cached_db"])
def session_engine(request, settings):
    """Both stores production may run: the database, and the database read through Redis (with REDIS_URL)."""
    if request.param == "cached_db":
        import redis

        url = "redis://127.0.0.1:6379/7"
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
        except redis.RedisError:
            pytest.skip("Redis ne répond pas sur 127.0.0.1:6379")
        settings.CACHES = {"default": {"BACKEND": "trajectoire.core.cache.RedisCache", "LOCATION": url}}  # production's
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"
    return request.param


def test_list_and_end_a_session_then_everywhere(medecin, session_engine):
    """Ending a session from another one logs it out, whatever the store (with Redis, its cached copy too)."""
    office = _logged_in(medecin, "Firefox au cabinet")
    home = _logged_in(medecin, "Chromium à domicile")
    page = office.get("/connexion/sessions/").content.decode()
    assert "<h1>Mes sessions actives</h1>" in page
    assert "Firefox au cabinet" in page and "Chromium à domicile" in page and "Cette session" in page
    sessions = office.get("/connexion/sessions/").context["rows"]
    home_row = next(r for r in sessions if r.user_agent.startswith("Chromium"))
    office.post(f"/connexion/sessions/{home_row.pk}/terminer/")
    assert home.get("/connexion/sessions/").status_code == 302
    assert office.get("/connexion/sessions/").status_code == 200
    home = _logged_in(medecin, "Chromium à domicile")
    response = office.post("/connexion/sessions/terminer-tout/", follow=True)
    assert "déconnecté de toutes vos sessions" in response.content.decode()
    assert home.get("/connexion/sessions/").status_code == 302
    assert office.get("/connexion/sessions/").status_code == 302


def test_another_users_session_is_404(medecin):
    other = _logged_in(UserFactory(), "Autre")
    other_row = other.get("/connexion/sessions/").context["rows"][0]
    client = _logged_in(medecin)
    assert client.post(f"/connexion/sessions/{other_row.pk}/terminer/").status_code == 404
    assert other.get("/connexion/sessions/").status_code == 200
