"""Browser journey in a real Chromium, on the served app: RPPS + password, code read from the SMTP server
the task worker sends to, dashboard."""

import pytest

from tests.factories.accounts import UserFactory

from .conftest import PASSWORD, code_from

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_doctor_logs_in_with_rpps_password_and_e_mailed_code(journey, smtp_server):
    j = journey("proauth-connexion")
    doctor = UserFactory(strong_auth=True, first_name="Marie", last_name="Martin", email="dr.martin@cabinet.test")
    page = j.new_page()
    page.goto(j.url("/connexion/"))
    page.get_by_label("Nom d’utilisateur (numéro RPPS)").fill(doctor.rpps)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.locator("#se-connecter").click()
    page.get_by_role("heading", name="J’ai reçu mon code").wait_for()
    j.step(page, "code")
    assert "d***n@c***.test" in page.locator("#adresse-masquee").inner_text()
    code = code_from(smtp_server.mailbox.wait_for(doctor.email)[0])
    page.get_by_role("textbox", name="Code").fill(code)
    page.locator("#valider-code").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    assert page.url == j.url("/tableau-de-bord/")
    assert "Dr Marie Martin" in page.content()
    assert page.get_by_role("link", name="Mes sessions actives").is_visible()
    j.step(page, "tableau de bord")
