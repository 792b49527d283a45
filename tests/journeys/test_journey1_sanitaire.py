"""Journey 1: a médecin libéral orients a patient to SMR locomoteur; the structure answers; the doctor
confirms one admission and the other demandes are closed. Run with the mouse, then with the keyboard only.
"""

import pytest

from tests.dossiers.helpers import VALID
from tests.support.browser import Actor
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import Demande

from . import data
from .conftest import login_with_code

pytestmark = [pytest.mark.browser]

SECTIONS = dict(VALID["sanitaire"], besoins_soins={"besoins": ["pansements_complexes"]})
SECTIONS["planification"] = {"date_souhaitee": data.in_days(10).isoformat(), "urgence": "normale"}


def fill_dossier(me, j, dossier_id):
    page = me.page
    for key, values in SECTIONS.items():
        me.click(page.locator(f'a[href$="/dossiers/{dossier_id}/sections/{key}/"]'))
        form = page.locator("#section-form")
        form.wait_for()
        me.fill_form(form, values)
        if key == "besoins_soins":
            j.step(page, "besoins en soins")
        me.submit_after_autosave(form.get_by_role("button", name="Valider la section"))
        page.get_by_text("est validée").wait_for()
    j.step(page, "dossier complet")


def structure_acts(me, j, unit, action, fields, submit):
    """The structure opens the demande of `unit` from its inbox and fires one action."""
    page = me.page
    page.goto(j.url("/demandes/recues/"))
    j.step(page, f"boite de reception {unit.structure.name}")
    me.click(page.get_by_role("row").filter(has_text=unit.name).get_by_role("link"))
    page.get_by_role("heading", name="Historique").wait_for()
    me.click(page.locator("summary", has_text=action))
    form = page.locator(f"details:has(summary:has-text('{action}')) form")
    me.fill_form(form, fields)
    me.click(form.get_by_role("button", name=submit))
    page.locator(".fr-alert--success").wait_for()
    j.step(page, f"{action} {unit.structure.name}")


def run(j, smtp_server, *, keyboard: bool):
    doctor = data.doctor()
    patient = data.patient(doctor)
    units = data.smr_units()
    julie = data.structure_user([u.structure for u in units])

    # The doctor logs in with RPPS + password + the code received by e-mail.
    me = Actor(j.new_page(), keyboard=keyboard)
    page = me.page
    login_with_code(me, j, doctor, smtp_server.mailbox)

    # New Sanitaire dossier for the patient, SMR locomoteur.
    me.click(page.get_by_role("link", name="Mes patients"))
    me.click(page.get_by_role("link", name="DUPONT"))
    page.wait_for_url(f"**/patients/{patient.pk}/")
    j.step(page, "fiche patient")
    me.click(page.get_by_role("link", name="Nouveau dossier pour ce patient"))
    form = page.locator("main form")
    me.fill_form(form, {"domain": "sanitaire", "prise_en_charge": "smr", "mention_smr": "ME051"})
    j.step(page, "nouveau dossier")
    me.click(form.get_by_role("button", name="Créer le dossier"))
    page.get_by_text("a été créé").wait_for()
    dossier = patient.dossiers.get()
    j.step(page, "dossier cree")
    fill_dossier(me, j, dossier.pk)

    # Search SMR locomoteur near the patient's home and send to the three units.
    me.click(page.get_by_role("link", name="Rechercher et envoyer"))
    results = page.locator("#resultats-legend")
    assert "3 structure(s) capable(s)" in results.inner_text()
    assert "Pas de mention SMR Locomoteur" in page.locator("details").last.text_content()
    j.step(page, "recherche smr locomoteur")
    for unit in units:
        me.check(page.locator(f"#unite-{unit.pk}"))
    me.click(page.get_by_role("button", name="Envoyer le dossier aux structures sélectionnées"))
    page.get_by_text("Dossier envoyé à 3 structure(s)").wait_for()
    j.step(page, "mes demandes")
    assert Demande.objects.filter(dossier=dossier, statut=Statut.ENVOYEE).count() == 3

    # The admissions team, in its own browser context: asks for information on the first unit.
    them = Actor(j.new_page(), keyboard=keyboard)
    j.login_as(them.page, julie)
    first, second, third = units
    structure_acts(
        them, j, first, "Demander un complément", {"complement-message": "Le patient est-il porteur de BMR ?"},
        "Envoyer la demande de complément",
    )  # fmt: skip

    # The doctor answers from « Mes demandes ».
    page.goto(j.url("/demandes/"))
    j.step(page, "mes demandes complement")
    me.click(page.get_by_role("link", name=first.structure.name).first)
    me.click(page.locator("summary", has_text="Répondre à la structure"))
    form = page.locator("details:has(summary:has-text('Répondre')) form")
    me.fill_form(form, {"reponse-message": "Non, dépistage négatif le 2 du mois."})
    me.click(form.get_by_role("button", name="Envoyer ma réponse"))
    page.get_by_text("Votre réponse a été transmise").wait_for()
    j.step(page, "reponse au complement")

    # The structure accepts the first unit, refuses the second.
    admission = data.in_days(14).isoformat()
    structure_acts(them, j, first, "Accepter", {"accepter-date_admission": admission}, "Proposer cette date")
    structure_acts(
        them, j, second, "Refuser", {"refus-motif": "pas_de_place", "refus-comment": "Complet ce mois-ci."},
        "Refuser la demande",
    )  # fmt: skip

    # The doctor confirms the admission: the third demande is closed, « patient admis ailleurs ».
    page.goto(j.url("/demandes/"))
    me.click(page.get_by_role("link", name=first.structure.name).first)
    page.get_by_role("button", name="Confirmer l’admission").wait_for()
    j.step(page, "proposition d admission")
    me.click(page.get_by_role("button", name="Confirmer l’admission"))
    page.get_by_text("Les autres demandes du dossier ont été clôturées").wait_for()
    j.step(page, "admission confirmee")
    statuts = {d.unite_id: (d.statut, d.motif_cloture) for d in Demande.objects.filter(dossier=dossier)}
    assert statuts[first.pk][0] == Statut.ADMISSION_CONFIRMEE
    assert statuts[second.pk][0] == Statut.REFUSEE
    assert statuts[third.pk] == (Statut.CLOTUREE, "admis_ailleurs")

    # The timeline of the admitted demande tells the whole story, in order.
    history = page.locator("#historique").inner_text()
    expected = [
        "Demande envoyée",
        "Demande lue par la structure",
        "Complément d’information demandé",
        "Complément apporté par le demandeur",
        "Demande acceptée, date d’admission proposée",
        "Admission confirmée par le demandeur",
    ]
    positions = [history.find(label) for label in expected]
    assert -1 not in positions and positions == sorted(positions), history
    assert "Le patient est-il porteur de BMR ?" in history and "Julie Moreau" in history

    # The third structure sees its demande closed with the motif.
    them.page.goto(j.url(f"/demandes/{Demande.objects.get(unite=third).pk}/"))
    them.page.get_by_text("Patient admis ailleurs").first.wait_for()
    j.step(them.page, "demande cloturee cote structure")
    return me


def test_journey_1_sanitaire_smr(journey, smtp_server):
    run(journey("1-sanitaire-smr"), smtp_server, keyboard=False)


def test_journey_1_keyboard_only(journey, smtp_server):
    # The same pages are checked by axe and against their reference images in the mouse run; this run checks the
    # keyboard and the focus (and, like every journey, the styles and the console).
    j = journey("1-sanitaire-smr-clavier", axe=False, visual=False)
    me = run(j, smtp_server, keyboard=True)
    assert me.tabs > 100, "every control was reached with Tab"
