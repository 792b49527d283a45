"""Aidant invitations cannot be used to make the platform e-mail anyone (issue 14, item 4)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.factories.usagers import FamilleFactory
from trajectoire.notifications.models import OutgoingEmail
from trajectoire.usagers.models import Aidant, InvitationAidant
from trajectoire.usagers.services import aidants
from trajectoire.usagers.services.comptes import CompteError

pytestmark = pytest.mark.django_db


def _invite(dossier, by, email):
    aidants.add_aidant(dossier, by=by, email=email, lien="frère", consentement=True)


def test_an_unconfirmed_account_cannot_invite(dossier, famille):
    famille.email_confirmed_at = None
    famille.save()
    with pytest.raises(CompteError, match="Confirmez d’abord votre adresse"):
        _invite(dossier, famille, "victime@exemple.test")
    assert not OutgoingEmail.objects.exists() and not InvitationAidant.objects.exists()


def test_the_inviters_names_are_not_in_the_subject(dossier, famille):
    famille.first_name, famille.last_name = "Gagnez", "un iPhone sur evil.example"
    famille.save()
    _invite(dossier, famille, "luc@exemple.test")
    email = OutgoingEmail.objects.get(to="luc@exemple.test")
    assert "evil.example" not in email.subject and "Gagnez" not in email.subject
    assert dossier.numero in email.subject


def test_invitations_are_rate_limited(dossier, famille, settings):
    for i in range(settings.USAGERS_INVITATIONS_PER_DAY):
        _invite(dossier, famille, f"proche{i}@exemple.test")
    with pytest.raises(CompteError, match="Trop d’invitations"):
        _invite(dossier, famille, "un-de-plus@exemple.test")
    assert OutgoingEmail.objects.count() == settings.USAGERS_INVITATIONS_PER_DAY


def test_an_invitation_expires_after_14_days(dossier, famille):
    _invite(dossier, famille, "luc@exemple.test")
    luc = FamilleFactory(username="luc@exemple.test", email="luc@exemple.test", unconfirmed=True)
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        luc.email_confirmed_at = timezone.now()
        luc.save()
        assert aidants.accept_invitations(luc) == 0
    assert not Aidant.objects.filter(user=luc).exists()
    assert not InvitationAidant.objects.exists()  # purged
