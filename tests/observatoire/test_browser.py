"""The observatoire page in Chromium: axe-core at desktop width, no horizontal scroll of the page at 320 px."""

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.support.browser import Actor
from trajectoire.demandes.enums import MotifRefus, Statut

pytestmark = [pytest.mark.browser]


def test_statistics_page_is_accessible_and_fits_a_phone(journey):
    j = journey("observatoire")
    ars = UserFactory(is_observatoire=True, observatoire_departements="69")
    unite = UniteFactory(structure=StructureFactory(departement="69"))
    for _ in range(6):
        DemandeFactory(unite=unite, statut=Statut.REFUSEE, motif_refus=MotifRefus.PAS_DE_PLACE)
    page = Actor(j.new_page()).page
    j.login_as(page, ars)
    page.goto(j.url("/observatoire/"))
    page.get_by_role("table", name="Par département de la structure").wait_for()
    j.step(page, "statistiques")  # axe-core: serious/critical violations fail
    page.get_by_label("Domaine").select_option("grand_age")
    page.locator("#afficher").click()
    page.get_by_role("table", name="Par mois d’envoi").wait_for()
    j.step(page, "filtre-grand-age")
    narrow = Actor(j.new_page(width=320, height=640)).page
    j.login_as(narrow, ars)
    narrow.goto(j.url("/observatoire/"))
    j.step(narrow, "320px", axe=False)
    assert narrow.evaluate("() => document.documentElement.scrollWidth") <= 320
