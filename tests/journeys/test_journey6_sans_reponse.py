"""Journey 6: nobody waits without an answer. A Grand Âge demande sent 16 days ago (target: 7 days) is
escalated by the task worker (admissions reminded, then the référent told); the doctor sees « sans réponse
depuis 16 jours » and the escalation in the demande's timeline; the family sees it on their dossier; the
observatoire (with its charts) lists the structure over its target."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.factories.usagers import FamilleFactory, FamilyDossierFactory
from tests.support.browser import Actor
from trajectoire.demandes.models import DemandeEvent
from trajectoire.demandes.tasks import relancer_demandes
from trajectoire.notifications.models import Notification

pytestmark = [pytest.mark.browser]

INDICATOR = "Sans réponse depuis 16 jours : délai cible de 7 jours dépassé"


def test_journey_6_a_demande_past_its_target(journey):
    j = journey("6-sans-reponse")
    doctor = UserFactory(medecin=True, first_name="Marie", last_name="Martin")
    famille = FamilleFactory(first_name="Claire", last_name="Bernard")
    dossier = FamilyDossierFactory(created_by=famille, patient__created_by=famille, medecin=doctor)
    unite = UniteFactory(structure=StructureFactory(name="EHPAD Les Tilleuls"), name="Hébergement permanent")
    admissions = MembershipFactory(structure=unite.structure, admissions=True).user
    referent = MembershipFactory(structure=unite.structure, referent=True).user
    demande = DemandeFactory(dossier=dossier, unite=unite, sent_at=timezone.now() - dt.timedelta(days=16, hours=1))
    relancer_demandes.enqueue()  # the periodic task, as the scheduler places it for the worker
    assert list(DemandeEvent.objects.filter(demande=demande).values_list("action", flat=True)) == [
        "relance", "escalade_referent"
    ]  # fmt: skip
    assert Notification.objects.filter(user=admissions, title__startswith="Relance").count() == 1
    assert Notification.objects.filter(user=referent, title__startswith="Demande sans réponse").count() == 1

    me = Actor(j.new_page())
    page = me.page
    j.login_as(page, doctor)
    page.goto(j.url("/demandes/"))
    page.get_by_text(INDICATOR).wait_for()
    j.step(page, "mes demandes sans reponse")
    me.click(page.get_by_role("link", name=str(dossier.patient)).first)
    page.locator("#historique").wait_for()
    page.get_by_text(INDICATOR).wait_for()
    timeline = page.locator("#historique").inner_text()
    assert "Relance de l’équipe des admissions" in timeline and "Signalement au référent de la structure" in timeline
    assert timeline.count("(automatique)") == 2
    j.step(page, "historique relance et signalement")

    family = Actor(j.new_page())
    j.login_as(family.page, famille)
    family.page.goto(j.url(f"/usager/dossier/{dossier.pk}/"))
    family.page.locator(f"#demande-{demande.pk}").get_by_text(INDICATOR).wait_for()
    j.step(family.page, "famille sans reponse")

    ars = UserFactory(is_observatoire=True, observatoire_departements=unite.structure.departement, profession="")
    observatoire = Actor(j.new_page())
    j.login_as(observatoire.page, ars)
    observatoire.page.goto(j.url("/observatoire/"))
    late = observatoire.page.locator("#structures-en-retard")
    late.get_by_role("rowheader", name="EHPAD Les Tilleuls").wait_for()
    observatoire.page.locator("#graphique-volumes canvas").wait_for()
    j.step(observatoire.page, "observatoire structures au-dela du delai cible")
