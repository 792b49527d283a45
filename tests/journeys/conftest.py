"""Journeys in a real Chromium: fixtures come from tests/support/browser.py."""

import re

PASSWORD = "un-Mot-de-passe-solide-42"


def code_from(mailbox, address: str, count: int = 1) -> str:
    from tests.support.smtp import Mailbox

    message = mailbox.wait_for(address, count=count)[count - 1]
    match = re.search(r"^\s+(\d{6})\s*$", Mailbox.text(message), re.MULTILINE)
    assert match, "no 6-digit code in the e-mail"
    return match.group(1)


def login_with_code(actor, j, user, mailbox, *, count: int = 1, password: str = PASSWORD) -> None:
    """RPPS + password, then the code read from the real SMTP server: lands on the dashboard."""
    page = actor.page
    page.goto(j.url("/connexion/"))
    j.step(page, "connexion")
    actor.fill(page.get_by_label("Nom d’utilisateur (numéro RPPS)"), user.rpps)
    actor.fill(page.get_by_label("Mot de passe", exact=True), password)
    actor.click(page.locator("#se-connecter"))
    page.get_by_role("heading", name="J’ai reçu mon code").wait_for()
    j.step(page, "code recu")
    actor.fill(page.get_by_role("textbox", name="Code"), code_from(mailbox, user.email, count))
    actor.click(page.locator("#valider-code"))
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    j.step(page, "tableau de bord")
