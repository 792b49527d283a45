"""schemathesis against /fhir/openapi.json: no server error, answers conform to the document (status codes,
content types, OperationOutcome bodies), for every operation the registry announces."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application
from trajectoire.api.capability import openapi

schema = schemathesis.openapi.from_dict(openapi("http://localhost/fhir/"))
schema.app = application  # called in-process through WSGI, on the test database


@pytest.fixture
def bearer(db, unite, doctor):
    from tests.factories.demandes import ReadyDossierFactory
    from trajectoire.api.clients import create_client
    from trajectoire.demandes import services

    from .conftest import get_token

    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    services.send(dossier, [unite], by=doctor)
    client, secret = create_client("Fuzz", prescriber=doctor)
    return {"Authorization": f"Bearer {get_token(client.client_id, secret)['access_token']}"}


@pytest.fixture
def in_process(bearer):
    """Requests run inside the test's transaction, as Django's test client arranges (after the token request,
    whose test client reconnects the signals)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield bearer
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_openapi_document_is_served(client):
    document = client.get("/fhir/openapi.json").json()
    assert document["openapi"].startswith("3.0")
    assert "/fhir/Task/{id}" in document["paths"] and "patch" in document["paths"]["/fhir/Task/{id}"]


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_and_never_fails(case, in_process, settings):
    settings.API_RATE_MAX_REQUESTS = 10_000
    # FHIR bodies valid for the OpenAPI schema are still refused (4xx OperationOutcome) by the business rules.
    case.call_and_validate(headers=in_process, excluded_checks=[schemathesis.checks.positive_data_acceptance])
