"""Revue 17–19: the FHIR API tried from outside, as another structure, another prescriber, a narrowed client,
a revoked one, and the technical account itself. Each answer is a FHIR 401/403/404, never another party's data."""

import base64

import pytest
from django.test import Client

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import ReadyDossierFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.api.clients import create_client, revoke_client
from trajectoire.api.models import ApiClient
from trajectoire.demandes import services

from .conftest import FhirClient, get_token

pytestmark = pytest.mark.django_db
CS = "https://trajectoire.sante.fr/fhir/CodeSystem"


@pytest.fixture
def sent(doctor, unite):
    """The doctor's dossier sent to the EHPAD's unit and to another structure's unit."""
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    return services.send(dossier, [unite, UniteFactory()], by=doctor)


def _api(**kwargs):
    client, secret = create_client("Logiciel", **kwargs)
    return FhirClient(get_token(client.client_id, secret)["access_token"])


def test_a_structure_client_neither_reads_nor_patches_another_structures_task(ehpad_api, sent):
    _, theirs = sent
    accept = [{"op": "replace", "path": "/businessStatus", "value": {"coding": [{"system": f"{CS}/statut-demande",
                                                                                 "code": "acceptee"}]}}]  # fmt: skip
    assert ehpad_api.get(f"/fhir/Task/{theirs.pk}").status_code == 404
    assert ehpad_api.patch(f"/fhir/Task/{theirs.pk}", accept, HTTP_IF_MATCH='W/"1"').status_code == 404
    theirs.refresh_from_db()
    assert theirs.statut == "envoyee"
    owner = ehpad_api.get(f"/fhir/Task?owner=HealthcareService/{theirs.unite_id}").resource
    assert owner["entry"] == []


def test_another_prescribers_client_sees_nothing_of_the_dossier(sent):
    mine, _ = sent
    other = _api(prescriber=UserFactory(medecin=True))
    dossier = mine.dossier
    for path in (f"ServiceRequest/{dossier.pk}", f"Patient/{dossier.patient_id}", f"Task/{mine.pk}",
                 f"QuestionnaireResponse/{dossier.sections.first().pk}"):  # fmt: skip
        assert other.get(f"/fhir/{path}").status_code == 404, path
    for search in ("Task?_include=Task:patient&_include=Task:focus", "Patient", "ServiceRequest",
                   f"QuestionnaireResponse?based-on=ServiceRequest/{dossier.pk}"):  # fmt: skip
        assert other.get(f"/fhir/{search}").resource.get("entry", []) == [], search


def test_include_brings_only_the_patients_of_visible_tasks(ehpad_api, sent, doctor, unite):
    stranger_dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    services.send(stranger_dossier, [UniteFactory()], by=doctor)
    bundle = ehpad_api.get("/fhir/Task?_include=Task:patient&_include=Task:focus&_count=100").resource
    patients = {e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"}
    assert patients == {str(sent[0].dossier.patient_id)}


def test_a_narrowed_client_cannot_ask_for_more(structure_software):
    client, secret = structure_software
    ApiClient.objects.filter(pk=client.pk).update(scopes="system/Task.read system/Organization.read")
    basic = "Basic " + base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    for scope in ("system/*.write", "system/*.read", "system/Task.write", "system/Task.cruds", "system/Task.*",
                  "system/Patient.read", "system/Task.read system/Subscription.write", "user/Task.read"):  # fmt: skip
        response = Client().post("/fhir/auth/token", {"grant_type": "client_credentials", "scope": scope},
                                 HTTP_AUTHORIZATION=basic)  # fmt: skip
        assert response.status_code == 400 and response.json()["error"] == "invalid_scope", scope
    token = get_token(client.client_id, secret)
    assert token["scope"] == "system/Task.read system/Organization.read"
    assert FhirClient(token["access_token"]).get("/fhir/Patient").status_code == 403


def test_a_revoked_clients_tokens_and_technical_account_stop_at_once(structure_software, ehpad_api):
    client, secret = structure_software
    revoke_client(client)
    assert ehpad_api.get("/fhir/Task").status_code == 401
    basic = "Basic " + base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    again = Client().post("/fhir/auth/token", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic)
    assert again.status_code == 401


def test_the_technical_account_cannot_log_in_on_the_web_nor_receive_mail(structure_software, ehpad, mailoutbox):
    client, _ = structure_software
    technical = client.user
    assert not technical.has_usable_password() and not technical.email and not technical.rpps
    web = Client()
    for username in (technical.username, technical.username.upper()):
        web.post("/admin/login/", {"username": username, "password": ""})
        assert "_auth_user_id" not in web.session
    from trajectoire.notifications.services import notify

    notify([technical], title="Essai")
    assert mailoutbox == []


def test_a_referent_cannot_register_or_revoke_software_of_another_structure(client, ehpad, structure_software):
    other = StructureFactory()
    referent = MembershipFactory(structure=other, referent=True).user
    client.force_login(referent)
    assert client.post(f"/logiciels/structure/{ehpad.pk}/", {"name": "Intrus"}).status_code in (403, 404)
    software, _ = structure_software
    assert client.post(f"/logiciels/structure/{ehpad.pk}/{software.pk}/revoquer/").status_code in (403, 404)
    assert client.post(f"/logiciels/structure/{other.pk}/{software.pk}/revoquer/").status_code == 404
    software.refresh_from_db()
    assert software.is_active and not ApiClient.objects.filter(name="Intrus").exists()
    member = MembershipFactory(structure=ehpad, admissions=True, medical=True).user
    client.force_login(member)
    assert client.post(f"/logiciels/structure/{ehpad.pk}/", {"name": "Intrus"}).status_code in (403, 404)


@pytest.mark.parametrize("value", [True, "5", -1, 10**30, 1.5, None, [], {"n": 1}])
def test_hostile_free_places_are_a_french_422(ehpad_api, unite, value):
    ext = "https://trajectoire.sante.fr/fhir/StructureDefinition/places-disponibles"
    body = {"resourceType": "HealthcareService", "id": str(unite.pk),
            "extension": [{"url": ext, "extension": [{"url": "nombre", "valueUnsignedInt": value}]}]}  # fmt: skip
    response = ehpad_api.put(f"/fhir/HealthcareService/{unite.pk}", body)
    assert response.status_code in (400, 422), response.content
    assert response.resource["resourceType"] == "OperationOutcome"


def test_a_prescribers_client_cannot_declare_places(doctor_api, unite):
    assert (
        doctor_api.put(f"/fhir/HealthcareService/{unite.pk}", {"resourceType": "HealthcareService"}).status_code == 403
    )
