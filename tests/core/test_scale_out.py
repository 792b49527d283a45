"""Application servers are stateless and workers scale out: proved with real processes on one PostgreSQL."""

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from tests.factories.accounts import UserFactory
from tests.support.processes import app_server, run_workers
from trajectoire.notifications.enums import EmailStatus
from trajectoire.notifications.models import OutgoingEmail

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: other processes must see the test database (run by .ci/run)")


def test_a_logged_in_session_continues_across_two_app_servers(client):
    user = UserFactory(first_name="Camille", last_name="Nguyen")
    client.force_login(user)  # the session row is in the shared database
    cookie = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    with app_server() as server_a, app_server() as server_b:
        for base in (server_a, server_b, server_a):
            response = httpx.get(f"{base}/tableau-de-bord/", cookies=cookie, follow_redirects=False, timeout=10)
            assert response.status_code == 200, base
            assert "Camille Nguyen" in response.text
        # Logging out on one server ends the session on the other too.
        csrf = httpx.get(f"{server_a}/tableau-de-bord/", cookies=cookie, timeout=10).cookies.get("csrftoken")
        httpx.post(
            f"{server_a}/connexion/deconnexion/",
            cookies={**cookie, "csrftoken": csrf},
            headers={"X-CSRFToken": csrf, "Referer": server_a},
            timeout=10,
        )
        response = httpx.get(f"{server_b}/tableau-de-bord/", cookies=cookie, follow_redirects=False, timeout=10)
        assert response.status_code == 302 and "/connexion/" in response.headers["location"]


def test_two_workers_never_send_the_same_email_twice(smtp_server):
    from trajectoire.notifications.services import queue_email

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        for i in range(40):
            queue_email(f"dest{i}@exemple.test", f"Message {i}", "Bonjour")
    results = run_workers(
        2,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_server.port,
    )
    assert all(r.returncode == 0 for r in results), [r.stdout[-1000:] for r in results]
    received = [str(m["To"]) for m in smtp_server.mailbox.messages]
    assert sorted(received) == sorted(f"dest{i}@exemple.test" for i in range(40))  # each once, none twice
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 40
