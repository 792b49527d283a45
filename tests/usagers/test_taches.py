"""Unconfirmed accounts: a reminder after 3 days, the dossier cancelled after 4 (idempotent)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories.usagers import FamilleFactory, FamilyDossierFactory
from trajectoire.dossiers.enums import Statut
from trajectoire.notifications.models import OutgoingEmail
from trajectoire.notifications.services import readable_body
from trajectoire.usagers.services.dossiers import relancer_et_annuler_non_confirmes
from trajectoire.usagers.tasks import traiter_comptes_non_confirmes

pytestmark = pytest.mark.django_db


def test_reminder_then_cancellation_of_unconfirmed_dossiers():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        late = FamilleFactory(unconfirmed=True, username="late@exemple.test")
        confirmed = FamilleFactory(username="ok@exemple.test")
    dossier = FamilyDossierFactory(created_by=late, patient__created_by=late)
    kept = FamilyDossierFactory(created_by=confirmed, patient__created_by=confirmed)

    with time_machine.travel(start + timedelta(days=2, hours=23)):
        assert relancer_et_annuler_non_confirmes() == (0, 0)
    with time_machine.travel(start + timedelta(days=3, hours=1)):
        assert relancer_et_annuler_non_confirmes() == (1, 0)
        assert relancer_et_annuler_non_confirmes() == (0, 0)  # idempotent
    reminder = OutgoingEmail.objects.get(to="late@exemple.test")
    assert "annulé demain" in reminder.subject and "/usager/confirmer/" in readable_body(reminder)
    assert "/usager/confirmer/" not in reminder.body  # sealed at rest (the link opens the account)
    dossier.refresh_from_db()
    assert dossier.statut == Statut.BROUILLON

    with time_machine.travel(start + timedelta(days=4, hours=1)):
        assert traiter_comptes_non_confirmes.call() == "0 relance(s), 1 annulation(s)"
        assert relancer_et_annuler_non_confirmes() == (0, 0)
    dossier.refresh_from_db()
    kept.refresh_from_db()
    assert dossier.statut == Statut.ANNULE and kept.statut == Statut.BROUILLON
    assert OutgoingEmail.objects.filter(to="late@exemple.test", subject__contains="annulé").count() == 2


def test_confirming_in_time_keeps_the_dossier():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        user = FamilleFactory(unconfirmed=True)
    dossier = FamilyDossierFactory(created_by=user, patient__created_by=user)
    user.email_confirmed_at = start + timedelta(days=3)
    user.save()
    with time_machine.travel(start + timedelta(days=5)):
        relancer_et_annuler_non_confirmes()
    dossier.refresh_from_db()
    assert dossier.statut == Statut.BROUILLON
