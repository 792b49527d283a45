"""The card handshake through a real nginx (Debian package) with the shipped configuration."""

import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.smtp import free_port
from trajectoire.accounts.models import User

from .conftest import CARD_PROXY_SECRET
from .pki import RPPS

pytestmark = pytest.mark.django_db(transaction=True)
TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "trajectoire-carte.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def _config(pki, directory: Path, port: int, upstream: str) -> Path:
    server = "\n".join(line for line in TEMPLATE.read_text().splitlines() if not line.lstrip().startswith("#"))
    server = server.replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;").replace("listen [::]:443 ssl;", "")
    server = server.replace("/etc/nginx/trajectoire/igc-sante-chain.pem", str(pki.chain))
    server = server.replace("/etc/nginx/trajectoire/igc-sante-crl.pem", str(pki.crl))
    server = server.replace("/etc/nginx/trajectoire/carte.crt", str(pki.server_cert))
    server = server.replace("/etc/nginx/trajectoire/carte.key", str(pki.server_key))
    server = server.replace("http://127.0.0.1:8000", upstream)
    secret_file = directory / "proxy-secret.conf"  # root-only in production (docs/auth.md)
    secret_file.write_text(f'proxy_set_header X-Card-Proxy-Secret "{CARD_PROXY_SECRET}";\n')
    server = server.replace("/etc/nginx/trajectoire/proxy-secret.conf", str(secret_file))
    assert "/etc/nginx" not in server and ":8000" not in server
    (directory / "carte.conf").write_text(server)
    temp = directory / "tmp"
    temp.mkdir()
    main = f"""
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    proxy_max_temp_file_size 0;
    include {directory}/carte.conf;
}}
"""
    (directory / "nginx.conf").write_text(main)
    return directory / "nginx.conf"


@pytest.fixture
def nginx_card(pki, live_server, tmp_path, settings):
    if NGINX is None:
        pytest.skip("nginx is not installed (make test installs it with bin/install-system): card handshake not tested")
    settings.CARD_TRUST_BUNDLE = str(pki.chain)
    settings.CARD_PROXY_SECRET = CARD_PROXY_SECRET
    port = free_port()
    conf = _config(pki, tmp_path, port, live_server.url)
    command = [NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)]
    command += ["-g", f"daemon off; pid {tmp_path}/nginx.pid;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    yield f"https://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def _get(base, pki, card=None, path="/connexion/carte/"):
    context = ssl.create_default_context(cafile=str(pki.server_ca))
    if card:
        cert, key = pki.clients[card]
        context.load_cert_chain(str(cert), str(key))
    with httpx.Client(verify=context, timeout=10) as client:
        return client.get(base + path, headers={"X-SSL-Client-Verify": "SUCCESS"})


def test_cps_card_logs_in_through_nginx(nginx_card, pki, live_server):
    response = _get(nginx_card, pki, "cps")
    assert response.status_code == 302, response.text[:500]
    assert response.headers["location"] == "/connexion/premiere-connexion/"
    user = User.objects.get(rpps=RPPS)
    assert user.strong_auth_at is not None and user.last_name == "MARTIN"
    session = response.cookies["sessionid"]
    page = httpx.get(live_server.url + "/tableau-de-bord/", cookies={"sessionid": session}, follow_redirects=False)
    assert page.status_code == 200 and "Marie" in page.text


REFUSED = [
    (None, "Aucun certificat de carte n’a été présenté"),  # the forged header is replaced by nginx
    ("expired", "invalide, expiré, révoqué"),
    ("revoked", "invalide, expiré, révoqué"),
    ("untrusted", "invalide, expiré, révoqué"),
    ("not_professional", "pas une carte de professionnel de santé"),
]


def test_cards_refused_through_nginx(nginx_card, pki):
    for card, expected in REFUSED:  # one test (one live server database flush) for the five cases
        response = _get(nginx_card, pki, card)
        main = response.text[response.text.find("<h1") :][:600]
        assert response.status_code == 403, (card, main)
        assert "<h1>Carte non reconnue</h1>" in main and expected in response.text, (card, main)
        assert "Référence à communiquer" in response.text


def test_staff_card_through_nginx(nginx_card, pki):
    from tests.factories.accounts import UserFactory

    UserFactory(rpps=None, username="3690000000/CPE0042", staff_card_id="3690000000/CPE0042")
    response = _get(nginx_card, pki, "cpe")
    assert response.headers["location"] == "/connexion/premiere-connexion/"


def test_a_direct_request_to_the_application_is_not_a_card_login(nginx_card, pki, live_server):
    """The same headers sent straight to the application server (as a local process could) log nobody in."""
    from urllib.parse import quote

    headers = {"X-SSL-Client-Verify": "SUCCESS", "X-SSL-Client-Cert": quote(pki.pem("cps"))}
    response = httpx.get(live_server.url + "/connexion/carte/", headers=headers)
    assert response.status_code == 403 and "Aucun certificat" in response.text
    assert not User.objects.filter(rpps=RPPS).exists()
