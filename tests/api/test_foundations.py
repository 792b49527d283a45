"""/fhir/ answers FHIR JSON only: CapabilityStatement from the registry, OperationOutcome for every error."""

import pytest

from trajectoire.api.registry import load

from .conftest import FhirClient

pytestmark = pytest.mark.django_db


def test_metadata_lists_exactly_the_registry():
    response = FhirClient().get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    statement = response.resource
    assert statement["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    registry = load()
    assert set(resources) == set(registry)
    for name, definition in registry.items():
        assert [i["code"] for i in resources[name]["interaction"]] == definition.interactions
    assert {p["name"] for p in resources["Task"]["searchParam"]} >= {"owner", "status", "_lastUpdated"}
    assert resources["Task"]["searchInclude"] == ["Task:focus", "Task:patient"]
    security = statement["rest"][0]["security"]
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"


def test_smart_configuration_names_the_token_endpoint():
    response = FhirClient().http.get("/fhir/.well-known/smart-configuration")
    config = response.json()
    assert config["token_endpoint"] == "http://testserver/fhir/auth/token"
    assert "private_key_jwt" in config["token_endpoint_auth_methods_supported"]
    assert "system/Task.rs" in config["scopes_supported"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/fhir/Nimportequoi", 404),
        ("get", "/fhir/Task/1/_history/1", 404),
        ("get", "/fhir/Task/", 404),
        ("delete", "/fhir/Task/1", 405),
        ("post", "/fhir/metadata", 405),
        ("get", "/fhir/Task", 401),
        ("get", "/fhir/Task/1", 401),
        ("post", "/fhir/", 401),
        ("post", "/fhir", 401),
    ],
)
def test_errors_are_operation_outcomes_in_french(method, path, status):
    response = FhirClient().request(method, path, {} if method == "post" else None)
    assert response.status_code == status
    assert response.resource["resourceType"] == "OperationOutcome"
    text = response.resource["issue"][0]["details"]["text"]
    assert text and not text.startswith("<")
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_post_needs_no_csrf_token_but_a_bearer_token(ehpad_api):
    """The test client enforces CSRF: a bearer-authenticated POST still reaches the API."""
    response = ehpad_api.post("/fhir/Subscription", {"resourceType": "Subscription"})
    assert response.status_code == 422  # the API's own answer, not Django's CSRF page


@pytest.mark.parametrize(
    "raw_id", ["99999999999999999999999", "١٢", "1e3", "NaN", "%00", "-1", "1%20", "x" * 300, "%F0%9F%98%80"]
)
def test_hostile_ids_are_404(ehpad_api, raw_id):
    for resource_type in ("Task", "Organization", "HealthcareService", "CodeSystem", "Questionnaire"):
        response = ehpad_api.get(f"/fhir/{resource_type}/{raw_id}")
        assert response.status_code == 404, (resource_type, raw_id)
        assert response.resource["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    "query",
    ["_count=abc", "_count=٣", "_count=-1", "_offset=1e9999", "inconnu=1", "_include=Task:owner", "_lastUpdated=gtNaN"],
)
def test_hostile_search_parameters_are_400(ehpad_api, query):
    response = ehpad_api.get(f"/fhir/Task?{query}")
    assert response.status_code == 400
    assert response.resource["resourceType"] == "OperationOutcome"


def test_bad_bodies_are_4xx(ehpad_api):
    assert ehpad_api.post("/fhir/", "{not json").status_code == 400
    assert ehpad_api.post("/fhir/", "\x00").status_code == 400
    assert ehpad_api.post("/fhir/", "[]").status_code == 400
    assert ehpad_api.post("/fhir/", {"resourceType": "Bundle"}, content_type="text/plain").status_code == 415
    deep = "[" * 100_000 + "]" * 100_000
    assert ehpad_api.post("/fhir/", deep).status_code == 400


def test_code_systems_publish_the_enums(ehpad_api):
    response = ehpad_api.get("/fhir/CodeSystem/motif-refus")
    assert response.status_code == 200
    codes = {c["code"]: c["display"] for c in response.resource["concept"]}
    assert codes["pas_de_place"] == "Absence de place disponible"
    assert ehpad_api.get("/fhir/CodeSystem").resource["total"] >= 9


def test_nul_bytes_are_refused_before_the_database(ehpad_api):
    assert ehpad_api.get("/fhir/Organization?name=a%00b").status_code == 400
    body = '{"resourceType": "Subscription", "reason": "a\\u0000b"}'
    assert ehpad_api.post("/fhir/Subscription", body).status_code == 400


def test_oversized_bodies_are_413(ehpad_api):
    response = ehpad_api.post("/fhir/", '{"resourceType": "Bundle", "x": "' + "a" * 3_000_000 + '"}')
    assert response.status_code == 413
    assert response.resource["resourceType"] == "OperationOutcome"
