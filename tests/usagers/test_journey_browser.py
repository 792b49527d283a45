"""Issue 7's journey in a real Chromium: a family opens a Grand Âge dossier, the demo doctor completes it,
the family sends it to three EHPAD, accepts an offer, and the two others are closed.

Every e-mail (confirmation link, the doctor's login code) is read from the real SMTP server.
"""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.dossiers.helpers import VALID
from tests.factories.accounts import UserFactory
from tests.support.browser import axe_available
from trajectoire.demandes import services as demande_services
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import Demande
from trajectoire.dossiers.models import Dossier

from .conftest import PASSWORD, link_in, mentions_gir, three_priced_ehpads

FAMILLE = "claire.bernard@exemple.test"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Steps:
    """Every step goes through the journey's checks: styles, console, reference image, axe-core."""

    def __init__(self, journey):
        self.journey = journey

    @property
    def n(self) -> int:
        return self.journey.count

    @property
    def axe_checked(self) -> list[str]:
        return self.journey.axe_checked

    def shot(self, page, name):
        self.journey.step(page, name)


@pytest.fixture
def ehpads(transactional_db):
    return three_priced_ehpads()


def _radios(page, data):
    for name, value in data.items():
        page.locator(f"input[name='{name}'][value='{value}']").check(force=True)


def family_signs_up_and_confirms(page, url, smtp, steps):
    page.goto(url + "/usager/")
    page.locator("#creer-compte").click()
    page.locator("[name='first_name']").fill("Claire")
    page.locator("[name='last_name']").fill("Bernard")
    page.locator("[name='email']").fill(FAMILLE)
    page.locator("[name='password']").fill(PASSWORD)
    page.locator("[name='password2']").fill(PASSWORD)
    steps.shot(page, "inscription")
    page.locator("#creer").click()
    page.locator("#inscription-envoyee").wait_for()
    steps.shot(page, "verifiez-votre-messagerie")
    page.goto(link_in(smtp.mailbox.wait_for(FAMILLE)[0]))
    page.get_by_text("votre adresse électronique est confirmée").wait_for()
    steps.shot(page, "adresse-confirmee")
    page.locator("[name='email']").fill(FAMILLE)
    page.locator("[name='password']").fill(PASSWORD)
    page.locator("#se-connecter").click()
    page.locator("#ouvrir-dossier").wait_for()


def family_opens_the_dossier(page, steps) -> Dossier:
    page.locator("#ouvrir-dossier").click()
    page.locator("[name='nom_naissance']").fill("Bernard")
    page.locator("[name='prenoms']").fill("Yvonne")
    page.locator("[name='date_naissance']").fill("1937-09-14")
    _radios(page, {"sexe": "F", "prise_en_charge": "ehpad", "type_sejour": "permanent"})
    page.locator("[name='lien']").fill("fille")
    page.locator("input[name='consentement']").check(force=True)
    steps.shot(page, "personne")
    page.locator("#ouvrir").click()
    page.get_by_role("heading", name="Partie administrative").wait_for()
    admin = VALID["grand_age"]["administratif"]
    _radios(page, {k: admin[k] for k in ("situation_familiale", "lieu_de_vie", "protection_juridique", "apa")})
    _radios(page, {k: admin[k] for k in ("aide_sociale", "aide_logement")})
    for name in ("referent_nom", "referent_prenom", "referent_telephone", "date_entree_souhaitee"):
        page.locator(f"[name='{name}']").fill(admin[name])
    page.locator("[name='referent_lien']").select_option(admin["referent_lien"])
    steps.shot(page, "partie-administrative")
    page.locator("#valider").click()
    page.get_by_role("heading", name="Désigner mon médecin traitant").wait_for()
    return Dossier.objects.get(created_by__username=FAMILLE)


def family_names_the_doctor(page, steps):
    page.locator("[name='nom']").fill("Martin")
    page.locator("#chercher-medecin").click()
    page.get_by_role("button", name="Choisir Dr Marie Martin").click()
    page.locator("#medecin-designe").wait_for()
    assert "Dr Marie Martin" in page.locator("#medecin-designe").inner_text()
    assert page.locator("#etat-medical").text_content() == "À compléter par le médecin"
    steps.shot(page, "medecin-designe")


def family_invites_a_relative(page, url, dossier, smtp, steps):
    """The référent shares the dossier with a brother who has no account yet: an e-mail invitation."""
    page.goto(f"{url}/usager/dossier/{dossier.pk}/")
    page.get_by_role("link", name="Partager le dossier avec un autre aidant").click()
    page.get_by_label("Son adresse électronique").fill("luc.bernard@exemple.test")
    page.get_by_label("Son lien avec la personne").fill("fils")
    page.locator("input[name='consentement']").check(force=True)
    page.get_by_role("button", name="Donner accès au dossier").click()
    page.get_by_role("table", name="Invitations en attente").wait_for()
    assert dossier.numero in smtp.mailbox.wait_for("luc.bernard@exemple.test")[0]["Subject"]
    steps.shot(page, "aidant-invite")


def doctor_logs_in_and_completes(page, url, smtp, doctor, dossier, steps):
    page.goto(url + "/connexion/")
    page.get_by_label("Nom d’utilisateur (numéro RPPS)").fill(doctor.rpps)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.locator("#se-connecter").click()
    page.get_by_role("heading", name="J’ai reçu mon code").wait_for()
    # The doctor also got the designation e-mail: the login code is the last message received.
    message = smtp.mailbox.wait_for(doctor.email, count=2)[-1]
    code = re.search(r"^\s+(\d{6})\s*$", smtp.mailbox.text(message), re.MULTILINE).group(1)
    page.get_by_role("textbox", name="Code").fill(code)
    page.locator("#valider-code").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    assert dossier.numero in page.content()  # the family's dossier is on the doctor's dashboard
    steps.shot(page, "tableau-de-bord-medecin")
    medical = VALID["grand_age"]["medical"]
    page.goto(f"{url}/dossiers/{dossier.pk}/sections/medical/")
    for name in ("antecedents", "pathologies", "traitements"):
        page.locator(f"[name='{name}']").fill(medical[name])
    radios = ("troubles_cognitifs", "deficience_visuelle", "deficience_auditive", "risque_chute", "chutes_6_mois")
    _radios(page, {k: medical[k] for k in (*radios, "reeducation_en_cours")})
    page.get_by_role("button", name="Valider la section").click()
    page.get_by_text("est validée").first.wait_for()
    page.goto(f"{url}/dossiers/{dossier.pk}/sections/aggir/")
    _radios(page, VALID["grand_age"]["aggir"])
    steps.shot(page, "grille-aggir")
    page.get_by_role("button", name="Valider la section").click()
    page.get_by_text("« Grille AGGIR » est validée").wait_for()


def family_sends_to_three(page, url, dossier, ehpads, steps):
    page.goto(f"{url}/usager/dossier/{dossier.pk}/")
    assert page.locator("#etat-medical").text_content() == "Complétée"
    assert not mentions_gir(page.content())
    page.locator("#lien-recherche").click()
    page.locator("[name='commune']").fill("Bourg-en-Bresse")
    page.locator("#rechercher").click()
    page.get_by_text("3 établissement(s)").wait_for()
    for unite in ehpads:
        page.locator(f"#unite-{unite.pk}").check(force=True)
    assert "avant aides" in page.content() and not mentions_gir(page.content())
    steps.shot(page, "choix-etablissements")
    page.locator("#envoyer").click()
    page.get_by_text("Votre demande est envoyée à 3 établissement(s).").wait_for()
    steps.shot(page, "demandes-envoyees")


def test_family_doctor_and_offer_journey(journey, app, smtp_server, ehpads):
    started = time.monotonic()
    j = journey("usagers-famille")
    steps = Steps(j)
    url = app.url
    doctor = UserFactory(
        rpps="19900000001",
        strong_auth=True,
        first_name="Marie",
        last_name="Martin",
        email="dr.martin@cabinet.test",
        notify_by_email=True,
    )
    page = j.new_page(width=390, height=844)  # a phone
    family_signs_up_and_confirms(page, url, smtp_server, steps)
    dossier = family_opens_the_dossier(page, steps)
    family_names_the_doctor(page, steps)
    family_invites_a_relative(page, url, dossier, smtp_server, steps)

    doctor_logs_in_and_completes(j.new_page(), url, smtp_server, doctor, dossier, steps)

    family_sends_to_three(page, url, dossier, ehpads, steps)
    demandes = list(Demande.objects.filter(dossier=dossier).order_by("pk"))
    offer = demandes[1]
    staff = offer.structure.memberships.get().user
    demande_services.accept(offer, staff, timezone.localdate() + timedelta(days=14))

    page.reload()
    page.get_by_text("Place proposée").wait_for()
    steps.shot(page, "proposition-recue")
    page.locator(f"#demande-{offer.pk}").get_by_role("button", name="Accepter cette place").click()
    page.get_by_text("Les autres demandes sont closes").wait_for()
    steps.shot(page, "place-acceptee")
    statuts = {d.pk: Demande.objects.get(pk=d.pk).statut for d in demandes}
    assert statuts[offer.pk] == Statut.ADMISSION_CONFIRMEE
    assert [s for pk, s in statuts.items() if pk != offer.pk] == [Statut.CLOTUREE, Statut.CLOTUREE]
    assert page.get_by_text("Clôturée — patient admis ailleurs").count() == 2
    assert len(steps.axe_checked) == steps.n or not axe_available()  # every step's page passed axe-core
    assert time.monotonic() - started < 60
