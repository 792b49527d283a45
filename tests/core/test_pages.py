import json
import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import path

from tests.factories.accounts import UserFactory
from trajectoire.audit.enums import Action
from trajectoire.audit.models import AuditEvent
from trajectoire.audit.services import record

pytestmark = pytest.mark.django_db


def test_home_explains_the_service_to_each_audience(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    for audience in ("Professionnels libéraux ou en établissement", "Particuliers", "Structures"):
        assert audience in html
    assert "Se connecter" in html
    assert 'href="#content"' in html and 'id="content"' in html  # skip link target exists
    # Closed network: every asset (script, stylesheet, icon, image) is served by the platform itself.
    assets = re.findall(r'<(?:script|img|link)\b[^>]*?\b(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/") and not url.startswith("//") for url in assets), assets


def test_login_page_presents_the_three_ways(client):
    response = client.get("/connexion/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Se connecter par carte CPx" in html
    assert "Se connecter par carte e-CPS" in html
    assert "Connexion par identifiant / mot de passe" in html
    assert "La 1<sup>re</sup> connexion se fait exclusivement par carte CPS/CPE/CPA (ou par e-CPS)." in html


def test_help_page_shows_support_centre_and_referent_advice(client):
    html = client.get("/aide/").content.decode()
    assert "du lundi au vendredi, de 8h30 à 18h30" in html
    assert "0 820 250 035" in html
    assert "assistance@esante-occitanie.fr" in html
    assert "référent structure" in html


@override_settings(SUPPORT_PHONE="01 23 45 67 89", SUPPORT_HOURS="tous les jours, de 9h à 17h")
def test_support_centre_is_configurable(client):
    html = client.get("/aide/").content.decode()
    assert "01 23 45 67 89" in html and "tous les jours, de 9h à 17h" in html


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_404_page_in_the_site_design(client):
    response = client.get("/n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html and "fr-header" in html and "fr-footer" in html


def _boom(request):
    raise RuntimeError("boom")


def _forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied("Cet espace est réservé aux usagers et aidants.")


from config import urls as project_urls  # noqa: E402

urlpatterns = [path("boom/", _boom), path("interdit/", _forbidden), *project_urls.urlpatterns]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF="tests.core.test_pages")
def test_500_page_in_the_site_design_with_a_reference():
    from django.urls import clear_url_caches

    clear_url_caches()
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html and "fr-header" in html
    assert response["X-Request-Id"] in html


@override_settings(ROOT_URLCONF="tests.core.test_pages")
def test_403_page_in_the_site_design_with_the_reason(client):
    response = client.get("/interdit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and "réservé aux usagers et aidants" in html and "fr-footer" in html


def test_dashboard_requires_login(client):
    response = client.get("/tableau-de-bord/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_logout_is_traced(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/connexion/deconnexion/")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.LOGOUT)
    assert event.actor == user


def test_audit_record_keeps_who_what_when_and_ip(rf):
    user = UserFactory()
    request = rf.get("/", REMOTE_ADDR="203.0.113.7")
    request.user = user
    event = record(Action.VIEW, request=request, obj=user, section="administratif")
    assert event.actor == user and event.ip == "203.0.113.7"
    assert event.object_type == "accounts.user" and event.object_id == str(user.pk)
    assert event.details == {"section": "administratif"}


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(rf):
    from trajectoire.core.request_context import client_ip

    spoofed = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(spoofed) == "198.51.100.9"
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 127.0.0.1")
    assert client_ip(proxied) == "1.2.3.4"


def test_log_lines_are_json_with_request_id_and_no_extra_personal_fields():
    from trajectoire.core.logging import JsonFormatter

    record_ = logging.LogRecord("x", logging.INFO, __file__, 1, "dossier ouvert", None, None)
    record_.request_id = "abc"
    record_.patient_name = "Dupont"  # not in the safe list: never written
    line = json.loads(JsonFormatter().format(record_))
    assert line["message"] == "dossier ouvert" and line["request_id"] == "abc"
    assert "Dupont" not in json.dumps(line)


def test_the_administration_has_no_password_only_door(client):
    response = client.get("/administration/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=/administration/")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/administration/").status_code == 200
