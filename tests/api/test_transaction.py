"""POST /fhir/ transaction: patient, dossier, sections and demandes at once, or nothing."""

import copy

import pytest

from tests.factories.directory import UniteFactory
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import Demande
from trajectoire.dossiers.demo import GRAND_AGE
from trajectoire.dossiers.models import Dossier
from trajectoire.patients.models import Patient

pytestmark = pytest.mark.django_db
CS = "https://trajectoire.sante.fr/fhir/CodeSystem"
Q = "https://trajectoire.sante.fr/fhir/Questionnaire"


def _answers(value):
    if isinstance(value, list):
        return [{"valueCoding": {"code": v}} for v in value]
    return [{"valueString": value}]


def questionnaire_response(key, data):
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{Q}/grand-age-{key}",
        "status": "completed",
        "basedOn": [{"reference": "urn:uuid:sr"}],
        "item": [{"linkId": k, "answer": _answers(v)} for k, v in data.items()],
    }


def referral_bundle(units, sections=GRAND_AGE):
    patient = {
        "resourceType": "Patient",
        "name": [{"use": "official", "family": "Durand", "given": ["Jeanne", "Marie"]}],
        "gender": "female",
        "birthDate": "1936-02-03",
        "address": [{"line": ["3 rue des Lilas"]}],
    }
    request = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "urn:uuid:p"},
        "category": [{"coding": [{"system": f"{CS}/domaine", "code": "grand_age"}]}],
        "code": {"coding": [{"system": f"{CS}/type-prise-en-charge", "code": "ehpad"}]},
        "orderDetail": [{"coding": [{"system": f"{CS}/type-sejour", "code": "permanent"}]}],
    }
    entries = [
        {"fullUrl": "urn:uuid:p", "resource": patient, "request": {"method": "POST", "url": "Patient",
                                                                   "ifNoneExist": "family=Durand"}},
        {"fullUrl": "urn:uuid:sr", "resource": request, "request": {"method": "POST", "url": "ServiceRequest"}},
    ]  # fmt: skip
    for key, data in sections.items():
        entries.append({"resource": questionnaire_response(key, data), "request": {"method": "POST", "url": "QR"}})
    for unit in units:
        task = {
            "resourceType": "Task",
            "status": "requested",
            "intent": "order",
            "focus": {"reference": "urn:uuid:sr"},
            "owner": {"reference": f"HealthcareService/{unit.pk}"},
        }
        entries.append({"resource": task, "request": {"method": "POST", "url": "Task"}})
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def test_a_referral_in_one_transaction(doctor_api, ehpad_api, doctor, unite):
    other = UniteFactory()
    response = doctor_api.post("/fhir/", referral_bundle([unite, other]))
    assert response.status_code == 200, response.content
    locations = [e["response"]["location"] for e in response.resource["entry"]]
    assert [loc.split("/")[0] for loc in locations] == ["Patient", "ServiceRequest", *["QuestionnaireResponse"] * 3,
                                                        "Task", "Task"]  # fmt: skip
    dossier = Dossier.objects.get()
    assert dossier.medecin == doctor and dossier.type_sejour == "permanent"
    assert dossier.patient.nom_naissance == "DURAND" and dossier.patient.prenoms == "Jeanne Marie"
    assert set(dossier.demandes.values_list("unite_id", "statut")) == {(unite.pk, Statut.ENVOYEE),
                                                                       (other.pk, Statut.ENVOYEE)}  # fmt: skip
    mine = ehpad_api.get("/fhir/Task").resource["entry"]
    assert [e["resource"]["id"] for e in mine] == [locations[5].split("/")[1]]
    # Conditional create: the same patient (strict INS traits) is reused, not duplicated.
    again = doctor_api.post("/fhir/", referral_bundle([unite]))
    assert again.resource["entry"][0]["response"] == {"status": "200 OK", "location": locations[0]}
    assert Patient.objects.count() == 1 and Dossier.objects.count() == 2
    without_condition = referral_bundle([unite])
    del without_condition["entry"][0]["request"]["ifNoneExist"]
    duplicate = doctor_api.post("/fhir/", without_condition)
    assert duplicate.status_code == 409 and "ifNoneExist" in duplicate.resource["issue"][0]["diagnostics"]


def test_invalid_answers_come_back_per_item_and_nothing_is_written(doctor_api, unite):
    sections = copy.deepcopy(GRAND_AGE)
    del sections["administratif"]["referent_nom"]
    response = doctor_api.post("/fhir/", referral_bundle([unite], sections))
    assert response.status_code == 422
    issue = response.resource["issue"][0]
    assert issue["expression"] == ["QuestionnaireResponse.item.where(linkId='referent_nom')"]
    assert "Personne référente : nom »" in issue["diagnostics"]
    assert not Patient.objects.exists() and not Dossier.objects.exists() and not Demande.objects.exists()


def test_missing_section_or_unknown_unit_refuses_the_whole_bundle(doctor_api, unite):
    partial = {k: v for k, v in GRAND_AGE.items() if k != "aggir"}
    response = doctor_api.post("/fhir/", referral_bundle([unite], partial))
    assert response.status_code == 422
    assert "toutes les sections obligatoires" in response.resource["issue"][0]["diagnostics"]
    unknown = referral_bundle([unite])
    unknown["entry"][-1]["resource"]["owner"]["reference"] = "HealthcareService/999999"
    assert doctor_api.post("/fhir/", unknown).status_code == 422
    assert not Dossier.objects.exists() and not Patient.objects.exists()


def test_unknown_question_is_refused(doctor_api, unite):
    sections = copy.deepcopy(GRAND_AGE)
    sections["medical"]["question_inventee"] = "x"
    response = doctor_api.post("/fhir/", referral_bundle([unite], sections))
    assert response.status_code == 422 and "question_inventee" in response.resource["issue"][0]["diagnostics"]


def test_a_structures_software_may_not_send_referrals(ehpad_api, unite):
    assert ehpad_api.post("/fhir/", referral_bundle([unite])).status_code == 403


def test_questionnaires_are_generated_from_the_section_forms(doctor_api):
    from trajectoire.dossiers.sections import REGISTRY

    listed = doctor_api.get("/fhir/Questionnaire").resource
    assert listed["total"] == sum(len(defs) for defs in REGISTRY.values())
    administratif = doctor_api.get("/fhir/Questionnaire/grand-age-administratif").resource
    items = {i["linkId"]: i for i in administratif["item"]}
    assert items["date_entree_souhaitee"]["type"] == "date" and items["date_entree_souhaitee"]["required"]
    assert items["referent_nom"] == {"linkId": "referent_nom", "text": "Personne référente : nom",
                                     "required": True, "type": "string", "maxLength": 100}  # fmt: skip
    medical = {i["linkId"]: i for i in doctor_api.get("/fhir/Questionnaire/grand-age-medical").resource["item"]}
    assert medical["comportement"]["repeats"] is True
    assert any(o["valueCoding"]["code"] == "deambulation" for o in medical["comportement"]["answerOption"])
