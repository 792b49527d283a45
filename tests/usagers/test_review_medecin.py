"""Revue 17–19: « Désigner mon médecin traitant » must not let a family account make the platform mail doctors at
will, create pre-accounts at will, nor answer a 500 to a hostile choice."""

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.usagers import FamilleFactory, FamilyDossierFactory
from trajectoire.accounts.models import User
from trajectoire.notifications.models import OutgoingEmail

from .test_medecin import _annuaire_doctor

pytestmark = pytest.mark.django_db


def _post(client, dossier, value):
    return client.post(f"/usager/dossier/{dossier.pk}/medecin/", {"medecin": value}, follow=True)


def test_naming_the_same_doctor_again_mails_nobody(client, dossier, famille):
    pro = _annuaire_doctor(email="accueil@cabinet-amberieu.test")
    client.force_login(famille)
    for _ in range(5):
        _post(client, dossier, f"a{pro.pk}")
    assert OutgoingEmail.objects.filter(to="accueil@cabinet-amberieu.test").count() == 1
    known = UserFactory(medecin=True, notify_by_email=True, email="dr@cabinet.test")
    for _ in range(5):
        _post(client, dossier, known.pk)
    assert OutgoingEmail.objects.filter(to="dr@cabinet.test").count() == 1


def test_designations_are_rate_limited_per_family_account(client, dossier, famille, settings):
    settings.DESIGNATION_RATE_MAX_REQUESTS = 3
    client.force_login(famille)
    doctors = [_annuaire_doctor(rpps=f"1010647600{i}", email=f"cabinet{i}@sante.test") for i in range(6)]
    pages = [_post(client, dossier, f"a{pro.pk}").content.decode() for pro in doctors]
    assert all("est invité(e)" in page for page in pages[:3])
    assert all("Trop de désignations" in page for page in pages[3:])
    assert User.objects.filter(rpps__startswith="1010647600").count() == 3
    assert OutgoingEmail.objects.count() == 3


def test_an_unconfirmed_family_account_cannot_designate(client):
    famille = FamilleFactory(unconfirmed=True)
    dossier = FamilyDossierFactory(created_by=famille, patient__created_by=famille)
    pro = _annuaire_doctor(email="accueil@cabinet-amberieu.test")
    client.force_login(famille)
    page = _post(client, dossier, f"a{pro.pk}").content.decode()
    assert "Confirmez d’abord votre adresse électronique" in page
    assert not OutgoingEmail.objects.exists() and not User.objects.filter(rpps=pro.identifiant).exists()
    dossier.refresh_from_db()
    assert dossier.medecin is None


@pytest.mark.parametrize("value", ["a²", "a" + "9" * 30, "a-1", "a", "a1e5"])
def test_hostile_annuaire_choices_get_a_french_error(client, dossier, famille, value):
    client.force_login(famille)
    response = _post(client, dossier, value)
    assert response.status_code == 200 and "Choisissez un médecin dans la liste." in response.content.decode()
