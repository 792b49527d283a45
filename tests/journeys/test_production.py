"""The production profile (config.settings.prod) behind the repository's nginx configuration
(deploy/nginx/trajectoire.conf, a test certificate for 127.0.0.1): a doctor logs in with RPPS, password and the
code the task worker e-mails, and finds the dashboard and the patients, every page styled, no console error,
each step compared with its reference image. The response headers are the production ones (HSTS, CSP nonce,
secure cookies)."""

import ssl

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.support.nginx import adapted, running_nginx
from tests.support.served import served_app
from tests.support.smtp import free_port

from . import data
from .conftest import PASSWORD, login_with_code

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def production(django_db_setup, tmp_path_factory):
    """gunicorn + worker on the prod profile, nginx in front with TLS; yields the served app (its url: nginx's)."""
    from tests.proauth.pki import CardPki

    pki = CardPki(tmp_path_factory.mktemp("pki"))  # its server certificate is for 127.0.0.1
    https_port, http_port, app_port = free_port(), free_port(), free_port()
    front = f"https://127.0.0.1:{https_port}"
    secret = "secret-du-proxy-de-production-" + "p" * 16
    secret_file = tmp_path_factory.mktemp("nginx-secret") / "proxy-secret.conf"  # root-only in production
    secret_file.write_text(f'proxy_set_header X-Card-Proxy-Secret "{secret}";\n')
    servers = adapted(
        "trajectoire.conf",
        {
            "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
            "listen [::]:443 ssl;": "",
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen [::]:80;": "",
            "/etc/nginx/trajectoire/site.crt": str(pki.server_cert),
            "/etc/nginx/trajectoire/site.key": str(pki.server_key),
            "http://127.0.0.1:8000": f"http://127.0.0.1:{app_port}",
            "/etc/nginx/trajectoire/proxy-secret.conf": str(secret_file),
        },
    )
    settings_env = {
        "ALLOWED_HOSTS": "127.0.0.1",
        # nginx passes `Host: $host` (no port): on 443 the browser's Origin matches it; on a test port, say so.
        "CSRF_TRUSTED_ORIGINS": front,
        "SITE_URL": front,
        "CARD_PROXY_SECRET": secret,  # nginx proves itself (issue 14): X-Forwarded-For is believed from it only
    }
    with (
        served_app("prod", settings_module="config.settings.prod", port=app_port, **settings_env) as app,
        running_nginx(servers, tmp_path_factory.mktemp("nginx"), https_port),
    ):
        app.tls_ca, app.http_url = pki.server_ca, f"http://127.0.0.1:{http_port}"
        yield app


def test_doctor_logs_in_behind_nginx_on_the_production_profile(production, browser, transactional_db):
    from tests.support.browser import Actor, Journey

    production.mailbox.messages.clear()
    doctor = data.doctor()
    hasher = PBKDF2PasswordHasher()  # the production profile's hasher (the test profile's is MD5)
    doctor.password = hasher.encode(PASSWORD, hasher.salt())
    doctor.save(update_fields=["password"])
    data.patient(doctor)

    response = httpx.get(production.url + "/connexion/", verify=ssl.create_default_context(cafile=production.tls_ca))
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "'nonce-" in response.headers["Content-Security-Policy"]
    assert "secure" in response.headers["Set-Cookie"].lower()
    plain = httpx.get(production.http_url + "/connexion/")
    assert plain.status_code == 301 and plain.headers["Location"] == "https://127.0.0.1/connexion/"

    j = Journey("production-nginx", browser, production.url, ignore_https_errors=True)  # the test certificate
    try:
        me = Actor(j.new_page())
        page = me.page
        login_with_code(me, j, doctor, production.mailbox)
        me.click(page.get_by_role("link", name="Mes patients"))
        page.get_by_role("link", name="DUPONT").wait_for()
        j.step(page, "mes patients")
    finally:
        j.close()
        production.settle()  # before the test database is emptied (tests/support/served.py)
