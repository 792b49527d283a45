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


def _annuaire_doctor(rpps="10106476764", email="", mssante_address=""):
    from trajectoire.directory.models import LieuExercice, Professionnel

    pro = Professionnel.objects.create(
        id_type="8", identifiant=rpps, identification_nationale="8" + rpps, civilite_exercice="DR",
        nom="BENHOUCHAME", prenom="Zakaria", search_name="benhouchame zakaria", profession_code="10",
        mssante=mssante_address,
    )  # fmt: skip
    LieuExercice.objects.create(professionnel=pro, cle="1", commune="AMBERIEU EN BUGEY", code_postal="01500",
                                email=email)  # fmt: skip
    return pro


def test_any_doctor_of_the_annuaire_can_be_named_and_is_invited(
    client, dossier, famille, django_capture_on_commit_callbacks
):
    from trajectoire.accounts.models import User

    pro = _annuaire_doctor(email="accueil@cabinet-amberieu.test")
    nurse = _annuaire_doctor(rpps="10003004005")
    nurse.profession_code = "60"  # a nurse with the same name: not proposed
    nurse.save()
    client.force_login(famille)
    page = client.get(f"/usager/dossier/{dossier.pk}/medecin/", {"nom": "benhou"}).content.decode()
    assert "Dr Zakaria BENHOUCHAME</strong> — Amberieu En Bugey" in page and page.count("Choisir ") == 1
    assert "10106476764" not in page
    assert (
        "Dr Zakaria BENHOUCHAME"
        in client.get(f"/usager/dossier/{dossier.pk}/medecin/", {"commune": "01500"}).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/usager/dossier/{dossier.pk}/medecin/", {"medecin": f"a{pro.pk}"})
    assert response["Location"] == f"/usager/dossier/{dossier.pk}/"
    doctor = User.objects.get(rpps="10106476764")
    dossier.refresh_from_db()
    assert dossier.medecin == doctor and doctor.profession == "medecin" and not doctor.has_usable_password()
    invitation = OutgoingEmail.objects.get(to="accueil@cabinet-amberieu.test")
    assert dossier.numero in invitation.subject and "carte CPS ou par e-CPS" in invitation.body


def test_an_annuaire_doctor_without_any_address_gets_the_paper_route(client, dossier, famille):
    pro = _annuaire_doctor()
    client.force_login(famille)
    response = client.post(f"/usager/dossier/{dossier.pk}/medecin/", {"medecin": f"a{pro.pk}"}, follow=True)
    assert "aucune adresse électronique n’est connue" in response.content.decode()
    assert not OutgoingEmail.objects.exists()
    response = client.post(f"/usager/dossier/{dossier.pk}/medecin/", {"medecin": "a999999"}, follow=True)
    assert "Choisissez un médecin dans la liste." in response.content.decode()
