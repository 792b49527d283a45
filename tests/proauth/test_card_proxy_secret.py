"""Card headers count only with the proof that the TLS-terminating proxy forwarded them (issue 14, item 5), and
X-Forwarded-For only from a proven proxy, its right-most untrusted hop (item 6)."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import RequestFactory

from trajectoire.accounts.models import User
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.models import AuditEvent
from trajectoire.core.request_context import client_ip

from .pki import RPPS

pytestmark = pytest.mark.django_db
SECRET = "s3cret-du-proxy-" + "y" * 24  # 40 characters
ROOT = Path(__file__).resolve().parents[2]


def _card(client, pki, **extra):
    headers = {"HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS", "HTTP_X_SSL_CLIENT_CERT": quote(pki.pem("cps"))}
    return client.get("/connexion/carte/", **headers, **extra)


def test_a_local_process_without_the_secret_is_not_logged_in(client, card_trust, settings):
    settings.CARD_PROXY_SECRET = SECRET
    response = _card(client, card_trust)  # from 127.0.0.1, a valid certificate, no private key needed
    assert response.status_code == 403
    assert "Aucun certificat de carte n’a été présenté" in response.content.decode()
    assert not User.objects.filter(rpps=RPPS).exists()
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILURE, means=AuthMeans.CARD)
    assert event.details["detail"] == "no_proxy_secret"


def test_a_wrong_secret_is_refused_too(client, card_trust, settings):
    settings.CARD_PROXY_SECRET = SECRET
    assert _card(client, card_trust, HTTP_X_CARD_PROXY_SECRET=SECRET[:-1] + "z").status_code == 403


def test_no_secret_configured_means_no_card_login(client, card_trust, settings):
    settings.CARD_PROXY_SECRET = ""
    assert _card(client, card_trust, HTTP_X_CARD_PROXY_SECRET="").status_code == 403


def test_the_proxy_with_its_secret_logs_in(client, card_trust, settings):
    settings.CARD_PROXY_SECRET = SECRET
    response = _card(client, card_trust, HTTP_X_CARD_PROXY_SECRET=SECRET)
    assert response.status_code == 302
    assert User.objects.filter(rpps=RPPS).exists()


def test_prod_refuses_to_start_with_card_login_and_no_secret(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.prod", "SECRET_KEY": "k" * 50, "PATH": "/usr/bin:/bin",
           "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "CARD_TRUST_BUNDLE": "/etc/nginx/igc.pem"}  # fmt: skip
    code = "import django; django.setup()"
    refused = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode != 0 and "CARD_PROXY_SECRET" in refused.stderr
    started = subprocess.run(
        [sys.executable, "-c", code], env={**env, "CARD_PROXY_SECRET": SECRET}, cwd=ROOT, capture_output=True
    )
    assert started.returncode == 0, started.stderr


def test_forwarded_for_needs_the_proxy_proof(settings):
    settings.CARD_PROXY_SECRET = SECRET
    forged = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(forged) == "127.0.0.1"  # a local process cannot pick the address limits and audit see
    proxied = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
        HTTP_X_CARD_PROXY_SECRET=SECRET,
    )  # fmt: skip
    assert client_ip(proxied) == "203.0.113.9"  # the right-most hop nginx added, not what the client wrote
