"""ServiceRequest, Patient and QuestionnaireResponse are read through the dossier doors, and audited."""

import pytest

from tests.factories.accounts import MembershipFactory
from tests.factories.demandes import ReadyDossierFactory
from tests.factories.directory import StructureFactory
from trajectoire.api.clients import create_client
from trajectoire.api.models import ApiClient
from trajectoire.audit.models import AuditEvent
from trajectoire.demandes import services

from .conftest import FhirClient, get_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(doctor, unite):
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    services.send(dossier, [unite], by=doctor)
    return dossier


def _api_for(structure):
    client, secret = create_client("Logiciel", structure=structure)
    return FhirClient(get_token(client.client_id, secret)["access_token"])


def test_receiving_structure_reads_the_referral_and_it_is_audited(ehpad_api, dossier):
    request = ehpad_api.get(f"/fhir/ServiceRequest/{dossier.pk}").resource
    assert request["subject"]["reference"] == f"Patient/{dossier.patient_id}"
    assert request["category"][0]["coding"][0]["code"] == "grand_age"
    assert request["requester"]["reference"] == f"Practitioner/{dossier.medecin_id}"
    patient = ehpad_api.get(f"/fhir/Patient/{dossier.patient_id}").resource
    assert patient["name"][0]["family"] == dossier.patient.nom_naissance
    events = AuditEvent.objects.filter(details__api_client__isnull=False)
    assert {e.object_type for e in events} >= {"dossiers.dossier", "patients.patient"}


def test_another_structure_sees_nothing(dossier):
    stranger = _api_for(StructureFactory())
    assert stranger.get(f"/fhir/ServiceRequest/{dossier.pk}").status_code == 404
    assert stranger.get(f"/fhir/Patient/{dossier.patient_id}").status_code == 404
    assert stranger.get("/fhir/Patient").resource["entry"] == []
    section = dossier.sections.first()
    assert stranger.get(f"/fhir/QuestionnaireResponse/{section.pk}").status_code == 404


def test_a_structure_software_never_reads_the_medical_part(dossier, ehpad, doctor):
    """The medical habilitation is for medical professions (issue 14): never for a software the référent holds."""
    software = _api_for(ehpad)
    medical = dossier.sections.get(key="medical")
    administratif = dossier.sections.get(key="administratif")
    assert software.get(f"/fhir/QuestionnaireResponse/{medical.pk}").status_code == 404
    assert software.get(f"/fhir/QuestionnaireResponse/{administratif.pk}").status_code == 200
    listed = software.get(f"/fhir/QuestionnaireResponse?based-on=ServiceRequest/{dossier.pk}").resource
    assert {e["resource"]["id"] for e in listed["entry"]} == {str(administratif.pk)}
    client = ApiClient.objects.get(structure=ehpad)
    assert not client.user.memberships.filter(is_medical=True).exists()
    # The prescriber's own software reads the medical part it wrote, and the read is audited as medical.
    own = FhirClient(get_token(*_registered(prescriber=doctor))["access_token"])
    assert own.get(f"/fhir/QuestionnaireResponse/{medical.pk}").status_code == 200
    assert AuditEvent.objects.filter(action="view_medical", details__section="medical").exists()


def _registered(**bound):
    client, secret = create_client("Logiciel du cabinet", **bound)
    return client.client_id, secret


def test_a_member_of_the_structure_sees_the_same_as_its_software(dossier, ehpad, unite):
    """Same querysets: the technical member and a human admissions member list the same Tasks."""
    from trajectoire.demandes.permissions import inbox_for

    human = MembershipFactory(structure=ehpad, admissions=True).user
    api = _api_for(ehpad)
    ids = {e["resource"]["id"] for e in api.get("/fhir/Task").resource["entry"]}
    assert ids == {str(pk) for pk in inbox_for(human).values_list("pk", flat=True)}
