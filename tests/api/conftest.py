"""FHIR API fixtures: an EHPAD with a unit and its software, a doctor and theirs, and a client speaking FHIR.

Every resource the API answers is validated with `fhir.resources.R4B` (see trajectoire/api/fhir.py for why R4B).
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from tests.factories.accounts import UserFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.api.clients import create_client


def validate(resource: dict) -> dict:
    """Fail the test unless `resource` (and every resource a Bundle holds) is a valid FHIR resource."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    for entry in resource.get("entry") or []:
        if "resource" in entry:
            validate(entry["resource"])
    return resource


def data_queries(captured) -> list[str]:
    """The queries of a request but the rate-limit counter's (the database cache varies with its culling)."""
    sql = [q["sql"] for q in captured.captured_queries]
    return [q for q in sql if "trajectoire_cache" not in q and "SAVEPOINT" not in q]


class FhirClient:
    """The Django test client with a bearer token; every JSON answer is validated as FHIR."""

    def __init__(self, token: str | None = None):
        self.http = Client(enforce_csrf_checks=True)
        self.token = token

    def _headers(self, extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra)
        return headers

    def request(self, method: str, path: str, body=None, content_type="application/fhir+json", **headers):
        kwargs = {}
        if body is not None:
            kwargs = {
                "data": json.dumps(body) if not isinstance(body, str | bytes) else body,
                "content_type": content_type,
            }
        response = getattr(self.http, method)(path, **kwargs, **self._headers(headers))
        if response["Content-Type"].startswith("application/fhir+json") and response.content:
            response.resource = validate(response.json())
        return response

    def get(self, path, **headers):
        return self.request("get", path, **headers)

    def post(self, path, body, **kw):
        return self.request("post", path, body, **kw)

    def put(self, path, body, **kw):
        return self.request("put", path, body, **kw)

    def patch(self, path, body, **kw):
        return self.request("patch", path, body, content_type="application/json-patch+json", **kw)


def get_token(client_id: str, secret: str, scope: str | None = None) -> dict:
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = Client(enforce_csrf_checks=True).post("/fhir/auth/token", data, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def ehpad():
    return StructureFactory(name="EHPAD Les Tilleuls", finess="010000001")


@pytest.fixture
def unite(ehpad):
    return UniteFactory(structure=ehpad, name="Hébergement permanent", age_min=60, capabilities=["o2"])


@pytest.fixture
def doctor():
    return UserFactory(medecin=True, first_name="Marie", last_name="Martin")


@pytest.fixture
def structure_software(ehpad):
    client, secret = create_client("Logiciel EHPAD", structure=ehpad)
    return client, secret


@pytest.fixture
def prescriber_software(doctor):
    return create_client("DPI hôpital", prescriber=doctor)


@pytest.fixture
def ehpad_api(structure_software):
    client, secret = structure_software
    return FhirClient(get_token(client.client_id, secret)["access_token"])


@pytest.fixture
def doctor_api(prescriber_software):
    client, secret = prescriber_software
    return FhirClient(get_token(client.client_id, secret)["access_token"])
