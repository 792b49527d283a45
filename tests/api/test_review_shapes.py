"""Revue 17–19: FHIR bodies of the wrong shape (an object where a list is expected, a number where an object is)
are the client's error — a French 400/422 OperationOutcome, never a 500."""

import pytest

from tests.factories.demandes import ReadyDossierFactory
from trajectoire.demandes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def demande(doctor, unite):
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    return services.send(dossier, [unite], by=doctor)[0]


@pytest.mark.parametrize(
    "shape",
    [
        {"partOf": {"reference": "Task/{pk}"}, "payload": [{"contentString": "x"}]},
        {"partOf": 5, "payload": [{"contentString": "x"}]},
        {"partOf": "Task/{pk}", "payload": [{"contentString": "x"}]},
        {"partOf": [{"reference": "Task/{pk}"}], "payload": {"contentString": "x"}},
        {"partOf": [{"reference": "Task/{pk}"}], "payload": 7},
        {"partOf": [], "payload": [{"contentString": "x"}]},
    ],
)
def test_communication_of_the_wrong_shape(ehpad_api, demande, shape):
    body = {"resourceType": "Communication", "status": "completed"}
    for key, value in shape.items():
        body[key] = eval(repr(value).replace("{pk}", str(demande.pk)))  # noqa: S307 (test data only)
    response = ehpad_api.post("/fhir/Communication", body)
    assert response.status_code in (400, 404, 409, 422), response.content
    assert response.resource["resourceType"] == "OperationOutcome"


def test_other_resources_of_the_wrong_shape(ehpad_api, doctor_api, demande, unite):
    ext = "https://trajectoire.sante.fr/fhir/StructureDefinition/places-disponibles"
    for extension in ({"url": ext}, 5, [{"url": ext, "extension": {"url": "nombre"}}]):
        body = {"resourceType": "HealthcareService", "extension": extension}
        response = ehpad_api.put(f"/fhir/HealthcareService/{unite.pk}", body)
        assert response.status_code in (400, 422), response.content
    for item in ({"linkId": "x"}, 3, [{"linkId": "x", "answer": {"valueString": "y"}}]):
        body = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": item,
                "basedOn": [{"reference": f"ServiceRequest/{demande.dossier_id}"}]}  # fmt: skip
        assert doctor_api.post("/fhir/QuestionnaireResponse", body).status_code in (400, 404, 422)
    for patient in ({"name": 5}, {"name": [{"family": "X", "given": 5}]}, {"address": [{"line": {"a": 1}}]}):
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": "urn:uuid:p", "resource": {"resourceType": "Patient", **patient},
             "request": {"method": "POST"}},
            {"resource": {"resourceType": "ServiceRequest", "subject": {"reference": "urn:uuid:p"}},
             "request": {"method": "POST"}},
            {"resource": {"resourceType": "Task", "owner": {"reference": f"HealthcareService/{unite.pk}"}},
             "request": {"method": "POST"}},
        ]}  # fmt: skip
        response = doctor_api.post("/fhir/", bundle)
        assert response.status_code in (400, 422), (patient, response.content)
