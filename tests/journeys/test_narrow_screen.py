"""The main pages at 320 px wide (a small phone): nothing scrolls horizontally."""

import pytest

from tests.factories.demandes import DemandeFactory, ReadyDossierFactory
from tests.support.browser import Actor

from . import data

pytestmark = [pytest.mark.browser]

WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 320)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(-5)"""


def test_main_pages_fit_320_px(journey):
    j = journey("320px")
    doctor = data.doctor()
    dossier = ReadyDossierFactory(sanitaire=True, patient=data.patient(doctor), created_by=doctor, medecin=doctor)
    demande = DemandeFactory(dossier=dossier, unite=data.smr_units()[0])
    page = Actor(j.new_page(width=320, height=640)).page
    j.login_as(page, doctor)
    too_wide = {}
    pages = {
        "accueil": "/", "connexion": "/connexion/", "annuaire": "/annuaire/", "tableau de bord": "/tableau-de-bord/",
        "patients": "/patients/", "dossiers": "/dossiers/", "dossier": f"/dossiers/{dossier.pk}/",
        "partie medicale": f"/dossiers/{dossier.pk}/sections/medical/",
        "envoyer": f"/demandes/dossier/{dossier.pk}/envoyer/", "demandes": "/demandes/",
        "demande": f"/demandes/{demande.pk}/",
    }  # fmt: skip
    for label, path in pages.items():  # labels without ids: they name the reference images
        page.goto(j.url(path))
        j.step(page, label, axe=False)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = (width, page.evaluate(WIDEST))
    assert not too_wide, f"horizontal scroll at 320 px: {too_wide}"
