"""Patients: INS identity, duplicate alert among visible patients, access (404 for others), audit."""

import datetime

from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.directory import CommuneFactory
from tests.factories.patients import PatientFactory
from trajectoire.audit.models import AuditEvent
from trajectoire.patients.models import Patient
from trajectoire.patients.services import find_duplicates

FORM = {
    "nom_naissance": "Le-Gall",
    "prenoms": "Hélène Marie",
    "date_naissance": "1940-02-03",
    "sexe": "F",
    "lieu_naissance_insee": "29019",
    "contact_nom": "Le Gall",
    "contact_prenom": "Yann",
    "contact_lien": "enfant",
    "contact_est_referent": "on",
    "je_suis_medecin_traitant": "on",
}


def test_create_patient_with_contact_and_commune(medecin_client, medecin):
    lyon = CommuneFactory(insee="69123", name="Lyon", search_name="lyon", postal_codes="69001,69002", departement="69")
    response = medecin_client.post(reverse("patients:create"), {**FORM, "code_postal": "69002", "ville": "Lyon"})
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert (patient.nom_naissance, patient.commune, patient.created_by) == ("LE-GALL", lyon, medecin)
    assert patient.contacts.get().est_referent
    assert patient.medecin_traitant == medecin
    assert AuditEvent.objects.filter(action="create", object_id=str(patient.pk)).exists()


def test_unknown_commune_is_refused_in_french(medecin_client):
    response = medecin_client.post(reverse("patients:create"), {**FORM, "code_postal": "99999", "ville": "Nulle-Part"})
    assert "Commune introuvable : vérifiez le code postal et le nom de la commune." in response.text
    assert not Patient.objects.exists()


def test_duplicate_alert_then_explicit_confirmation(medecin_client, medecin):
    existing = PatientFactory(
        created_by=medecin, nom_naissance="LE GALL", prenoms="Helene", date_naissance=datetime.date(1940, 2, 3)
    )
    response = medecin_client.post(reverse("patients:create"), FORM)
    assert response.status_code == 200
    assert "Ce patient existe peut-être déjà" in response.text
    assert reverse("patients:detail", args=[existing.pk]) in response.text
    assert Patient.objects.count() == 1
    response = medecin_client.post(reverse("patients:create"), {**FORM, "confirmer_doublon": "on"})
    assert response.status_code == 302 and Patient.objects.count() == 2


def test_duplicates_only_among_patients_the_user_can_see(medecin):
    other = UserFactory(medecin=True)
    PatientFactory(created_by=other, nom_naissance="MARTIN", prenoms="Paul", date_naissance=datetime.date(1950, 1, 1))
    found = find_duplicates(
        medecin, nom_naissance="Martin", prenoms="Paul", date_naissance=datetime.date(1950, 1, 1), sexe="F"
    )
    assert found == []
    mine = PatientFactory(
        created_by=medecin, nom_naissance="MARTIN", prenoms="Paul", date_naissance=datetime.date(1950, 1, 1)
    )
    assert find_duplicates(
        medecin, nom_naissance="martin", prenoms="PAUL Pierre", date_naissance=datetime.date(1950, 1, 1), sexe="F"
    ) == [mine]
    assert not find_duplicates(
        medecin, nom_naissance="martin", prenoms="Paul", date_naissance=datetime.date(1950, 1, 1), sexe="M"
    )


def test_another_doctor_gets_404_and_reads_are_audited(client, medecin):
    patient = PatientFactory(created_by=medecin)
    client.force_login(UserFactory(medecin=True))
    assert client.get(reverse("patients:detail", args=[patient.pk])).status_code == 404
    client.force_login(medecin)
    assert client.get(reverse("patients:detail", args=[patient.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="patients.patient", actor=medecin).count() == 1


def test_medecin_traitant_sees_the_patient(client, medecin):
    traitant = UserFactory(medecin=True)
    patient = PatientFactory(created_by=medecin, medecin_traitant=traitant)
    assert list(Patient.objects.visible_to(traitant)) == [patient]
    assert not Patient.objects.visible_to(UserFactory(usager=True)).exists()


def test_invalid_identity_messages(medecin_client):
    response = medecin_client.post(reverse("patients:create"), {"sexe": "F", "lieu_naissance_insee": "1234"})
    assert "Indiquez le nom de naissance." in response.text
    assert "Indiquez la date de naissance." in response.text
    assert "Le code INSEE comporte 5 caractères" in response.text
