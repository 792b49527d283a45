"""Browser journey in a real Chromium: RPPS + password, code read from the SMTP server, dashboard."""

from pathlib import Path

import pytest

from tests.factories.accounts import UserFactory

from .conftest import PASSWORD, code_from

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, journey_settings):
    ARTEFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


def test_doctor_logs_in_with_rpps_password_and_e_mailed_code(page, live_server, smtp_server):
    doctor = UserFactory(strong_auth=True, first_name="Marie", last_name="Martin", email="dr.martin@cabinet.test")
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Nom d’utilisateur (numéro RPPS)").fill(doctor.rpps)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.locator("#se-connecter").click()
    page.get_by_role("heading", name="J’ai reçu mon code").wait_for()
    page.screenshot(path=str(ARTEFACTS / "proauth-code.png"), full_page=True)  # for a human look, not asserted
    assert "d***n@c***.test" in page.locator("#adresse-masquee").inner_text()
    code = code_from(smtp_server.mailbox.wait_for(doctor.email)[0])
    page.get_by_role("textbox", name="Code").fill(code)
    page.locator("#valider-code").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    assert page.url == live_server.url + "/tableau-de-bord/"
    assert "Dr Marie Martin" in page.content()
    assert page.get_by_role("link", name="Mes sessions actives").is_visible()
    page.screenshot(path=str(ARTEFACTS / "proauth-dashboard.png"), full_page=True)
