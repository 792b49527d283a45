"""Journey 3: a médecin libéral refers a 4-year-old child with signs of a neuro-developmental disorder: TND
dossier, the screening booklet of the child's age band (the orientation rule's result is shown), then the
PCO of the child's département receives the referral."""

import datetime as dt

import pytest

from tests.support.browser import Actor
from trajectoire.demandes.models import Demande

from . import data

pytestmark = [pytest.mark.browser]

SECTIONS = {
    "administratif": {
        "parent1_nom": "Claire Dupont",
        "parent1_telephone": "0600000001",
        "autorite_parentale": "conjointe",
        "accueil": "maternelle",
        "consentement": "on",
    },
    "facteurs_risque": {"facteurs": ["prematurite"], "terme_sa": "35"},
    "mdph": {"orientation_mdph": "non"},
}


def test_journey_3_tnd_pco(journey):
    j = journey("3-tnd-pco")
    doctor = data.doctor()
    today = dt.date.today()
    child = data.patient(doctor, prenoms="Léo", date_naissance=today.replace(year=today.year - 4) - dt.timedelta(60))
    rhone, _ain = data.pcos()
    pco_staff = data.structure_user([rhone.structure], first_name="Inès", last_name="Blanc", email="pco@camsp.test")

    me = Actor(j.new_page())
    page = me.page
    j.login_as(page, doctor)
    page.goto(j.url(f"/patients/{child.pk}/"))
    j.step(page, "fiche enfant")
    me.click(page.get_by_role("link", name="Nouveau dossier pour ce patient"))
    form = page.locator("main form")
    me.fill_form(form, {"domain": "tnd"})
    me.click(form.get_by_role("button", name="Créer le dossier"))
    page.get_by_text("a été créé").wait_for()
    dossier = child.dossiers.get()
    j.step(page, "dossier tnd cree")

    for key in ("administratif", "livret", "facteurs_risque", "mdph"):
        me.click(page.locator(f'a[href$="/dossiers/{dossier.pk}/sections/{key}/"]'))
        form = page.locator("#section-form")
        if key == "livret":  # two signes d'alerte in two domains of the 4-year-olds' booklet
            assert "4 ans" in form.locator("legend").first.inner_text() or "ans" in form.inner_text()
            for domain in ("Motricité globale", "Langage"):
                box_id = form.locator("label", has_text=domain).first.get_attribute("for")
                me.check(form.locator(f"#{box_id}"))
            j.step(page, "livret de reperage orientation indiquee")
        else:
            me.fill_form(form, SECTIONS[key])
        me.submit_after_autosave(form.get_by_role("button", name="Valider la section"))
        page.get_by_text("est validée").wait_for()
    # The booklet's result on the dossier page. (The live result under the booklet lags one autosave behind:
    # the autosave view renders from the sections prefetched before saving — reported to dossiers.)
    assert "Orientation vers la PCO indiquée" in page.locator("main").inner_text()
    j.step(page, "dossier tnd complet")

    me.click(page.get_by_role("link", name="Rechercher et envoyer"))
    results = page.locator(".fr-fieldset__element label")
    assert "PCO du Rhône" in results.first.inner_text(), "the PCO of the child's département comes first"
    j.step(page, "recherche pco")
    me.check(page.locator(f"#unite-{rhone.pk}"))
    me.click(page.get_by_role("button", name="Envoyer le dossier aux structures sélectionnées"))
    page.get_by_text("Dossier envoyé à 1 structure(s)").wait_for()
    j.step(page, "orientation envoyee")
    assert Demande.objects.get(dossier=dossier).structure.departement == child.commune.departement

    them = Actor(j.new_page())
    j.login_as(them.page, pco_staff)
    them.page.goto(j.url("/demandes/recues/"))
    them.click(them.page.get_by_role("link", name="DUPONT"))
    assert "DUPONT Léo" in them.page.locator("main").inner_text()
    j.step(them.page, "demande recue par la pco")
