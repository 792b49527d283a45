"""« Désigner mon médecin traitant »: search and designation, or the paper handover with a code."""

import re

import pytest

from tests.factories.accounts import UserFactory
from trajectoire.notifications.models import Notification, OutgoingEmail

pytestmark = pytest.mark.django_db


def test_search_shows_name_and_commune_only(client, dossier, famille, medecin):
    medecin.rpps = "19900000001"
    medecin.email = "secret@cabinet.test"
    medecin.save()
    UserFactory(medecin=False, profession="infirmier", last_name="Martin")  # not a doctor
    client.force_login(famille)
    page = client.get(f"/usager/dossier/{dossier.pk}/medecin/", {"nom": "mart"}).content.decode()
    assert "Dr Marie Martin</strong> — Bourg-en-Bresse" in page
    assert "19900000001" not in page and "secret@cabinet.test" not in page
    assert page.count("Choisir ") == 1
    page = client.get(f"/usager/dossier/{dossier.pk}/medecin/", {"commune": "bourg"}).content.decode()
    assert "Dr Marie Martin" in page
    page = client.get(f"/usager/dossier/{dossier.pk}/medecin/", {"commune": "Lyon"}).content.decode()
    assert "Aucun médecin trouvé" in page


def test_designation_notifies_the_doctor_who_then_sees_the_dossier(client, dossier, famille, medecin):
    medecin.notify_by_email = True
    medecin.save()
    client.force_login(famille)
    response = client.post(f"/usager/dossier/{dossier.pk}/medecin/", {"medecin": medecin.pk})
    assert response["Location"] == f"/usager/dossier/{dossier.pk}/"
    dossier.refresh_from_db()
    assert dossier.medecin == medecin and dossier.patient.medecin_traitant == medecin
    notification = Notification.objects.get(user=medecin)
    assert dossier.numero in notification.title and notification.url == f"/dossiers/{dossier.pk}/"
    assert OutgoingEmail.objects.filter(to=medecin.email, subject__contains=dossier.numero).exists()
    client.force_login(medecin)
    assert dossier.numero in client.get("/dossiers/").content.decode()
    assert client.get(f"/dossiers/{dossier.pk}/sections/medical/").status_code == 200


def test_a_non_doctor_cannot_be_designated(client, dossier, famille):
    nurse = UserFactory(profession="infirmier")
    client.force_login(famille)
    response = client.post(f"/usager/dossier/{dossier.pk}/medecin/", {"medecin": nurse.pk}, follow=True)
    assert "Choisissez un médecin dans la liste" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.medecin is None


def test_paper_handover_code_lets_the_doctor_take_the_dossier_once(client, dossier, famille, medecin):
    client.force_login(famille)
    page = client.post(f"/usager/dossier/{dossier.pk}/medecin/papier/").content.decode()
    code = re.search(r'id="papier-code">([A-Z0-9-]+)<', page).group(1)
    assert dossier.numero in page and "/usager/medecin/rattacher/" in page
    assert client.get("/usager/medecin/rattacher/").status_code == 403  # professionals only
    client.force_login(medecin)
    response = client.post("/usager/medecin/rattacher/", {"numero": dossier.numero, "code": "AAAA-BBBB"})
    assert "Numéro de dossier ou code d’accès incorrect" in response.content.decode()
    response = client.post("/usager/medecin/rattacher/", {"numero": dossier.numero.lower(), "code": code.lower()})
    assert response["Location"] == f"/dossiers/{dossier.pk}/"
    dossier.refresh_from_db()
    assert dossier.medecin == medecin
    assert Notification.objects.filter(user=famille, title__contains="rattaché").exists()
    other = UserFactory(medecin=True)
    client.force_login(other)
    response = client.post("/usager/medecin/rattacher/", {"numero": dossier.numero, "code": code})
    assert "incorrect" in response.content.decode()  # single use
    dossier.refresh_from_db()
    assert dossier.medecin == medecin
