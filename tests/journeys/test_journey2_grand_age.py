"""Journey 2: the doctor fills the medical part and the AGGIR grid of a Grand Âge dossier opened by the
family; the GIR is shown; the EHPAD search estimates the monthly cost for that GIR; the EHPAD puts the
demande on its waiting list, then accepts."""

import pytest

from tests.dossiers.helpers import VALID
from tests.factories.dossiers import DossierFactory
from tests.support.browser import Actor
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import Demande
from trajectoire.dossiers.models import Section

from . import data

pytestmark = [pytest.mark.browser]


def test_journey_2_grand_age_ehpad(journey):
    j = journey("2-grand-age-ehpad")
    doctor = data.doctor()
    dossier = DossierFactory(patient=data.patient(doctor), created_by=doctor, medecin=doctor)
    Section.objects.create(
        dossier=dossier, key="administratif", data=VALID["grand_age"]["administratif"], is_valid=True
    )
    tilleuls, _parc = data.ehpads()
    sophie = data.structure_user([tilleuls.structure], first_name="Sophie", last_name="Durand", email="a@ehpad.test")

    me = Actor(j.new_page())
    page = me.page
    j.login_as(page, doctor)
    page.goto(j.url(f"/dossiers/{dossier.pk}/"))
    j.step(page, "dossier ouvert par la famille")
    for key in ("medical", "aggir"):
        me.click(page.locator(f'a[href$="/dossiers/{dossier.pk}/sections/{key}/"]'))
        form = page.locator("#section-form")
        me.fill_form(form, VALID["grand_age"][key])
        if key == "aggir":  # the GIR appears as soon as every discriminant variable is coded (autosave)
            page.locator("#section-live").get_by_text("GIR 4").wait_for()
            j.step(page, "grille aggir gir 4")
        me.submit_after_autosave(form.get_by_role("button", name="Valider la section"))
        page.get_by_text("est validée").wait_for()
    assert "GIR 4" in page.locator("main").inner_text()
    j.step(page, "dossier complet gir 4")

    me.click(page.get_by_role("link", name="Rechercher et envoyer"))
    assert "GIR 4" in page.locator("main").inner_text()
    label = page.locator(f'label[for="unite-{tilleuls.pk}"]').inner_text()
    assert "Prix mensuel (hébergement + tarif dépendance GIR 5-6), avant aides : 2296 €" in label, label
    j.step(page, "recherche ehpad cout mensuel")
    me.check(page.locator(f"#unite-{tilleuls.pk}"))
    me.click(page.get_by_role("button", name="Envoyer le dossier aux structures sélectionnées"))
    page.get_by_text("Dossier envoyé à 1 structure(s)").wait_for()
    j.step(page, "envoye")

    them = Actor(j.new_page())
    j.login_as(them.page, sophie)
    demande = Demande.objects.get(dossier=dossier)
    them.page.goto(j.url("/demandes/recues/"))
    j.step(them.page, "boite de reception ehpad")
    them.click(them.page.get_by_role("link", name="DUPONT"))
    for action, submit, fields in [
        ("Mettre en liste d’attente", "Inscrire sur liste d’attente", {"attente-message": "Place prévue sous 2 mois."}),
        ("Accepter", "Proposer cette date", {"accepter-date_admission": data.in_days(20).isoformat()}),
    ]:
        them.click(them.page.locator("summary", has_text=action))
        form = them.page.locator(f"details:has(summary:has-text('{action}')) form")
        them.fill_form(form, fields)
        them.click(form.get_by_role("button", name=submit))
        them.page.locator(".fr-alert--success").wait_for()
        j.step(them.page, action)
    history = them.page.locator("#historique").inner_text()
    assert history.find("Inscrite sur liste d’attente") < history.find("Demande acceptée")

    page.goto(j.url("/demandes/"))
    assert "Acceptée" in page.locator("main").inner_text()
    j.step(page, "mes demandes acceptee")
    demande.refresh_from_db()
    assert demande.statut == Statut.ACCEPTEE
