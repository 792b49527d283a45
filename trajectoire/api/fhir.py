"""FHIR plumbing shared by every resource: media type, errors as OperationOutcome, ids, systems.

Version: FHIR R4 (4.0.1), JSON only. The tests validate what we emit with `fhir.resources.R4B` (4.3.0):
fhir.resources 8 no longer ships 4.0.1 models, and the resources used here did not change between R4 and R4B
(docs/api.md, « Version »).
"""

from __future__ import annotations

import json
import re

from django.http import HttpResponse

FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"
ACCEPTED_BODY_TYPES = ("application/fhir+json", "application/json", "application/json-patch+json")

# Identifier systems (ANS: « Identifiants des acteurs de santé », ROR/FR Core).
FINESS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"
RPPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"
# The project's own systems (CodeSystems published at /fhir/CodeSystem/<id>).
PROJECT_BASE = "https://trajectoire.sante.fr/fhir"
DOSSIER_SYSTEM = f"{PROJECT_BASE}/NamingSystem/numero-dossier"

_ID_RE = re.compile(r"^[0-9]{1,18}$")  # ASCII digits only: « ١٢ » and 10**30 are not ids


class FhirError(Exception):
    """An error answered as an OperationOutcome; `message` is French and shown to the client."""

    def __init__(self, status: int, message: str, *, code: str = "processing", issues=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.issues = issues
        self.headers = headers or {}


class NotFound(FhirError):
    def __init__(self, message: str = "Ressource introuvable."):
        super().__init__(404, message, code="not-found")


def issue(message: str, *, code: str = "processing", severity: str = "error", expression: str = "") -> dict:
    item = {"severity": severity, "code": code, "details": {"text": message}, "diagnostics": message}
    if expression:
        item["expression"] = [expression]
    return item


def operation_outcome(message: str, *, code: str = "processing", issues=None) -> dict:
    return {"resourceType": "OperationOutcome", "issue": issues or [issue(message, code=code)]}


def fhir_response(resource: dict | None, status: int = 200, headers=None) -> HttpResponse:
    body = b"" if resource is None else json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type=f"{MEDIA_TYPE}; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error: FhirError) -> HttpResponse:
    body = operation_outcome(error.message, code=error.code, issues=error.issues)
    return fhir_response(body, error.status, error.headers)


def parse_id(value: str) -> int:
    """A resource id as our primary key, or 404 (hostile ids are simply ids that do not exist)."""
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise NotFound()
    number = int(value)
    if number > 2**63 - 1:
        raise NotFound()
    return number


def reference_id(value: str, *types: str) -> int:
    """`Task/12`, `12` or an absolute URL ending in `Type/12` → 12; a 400 otherwise."""
    value = (value or "").strip()
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] in types:
        value = parts[-1]
    elif len(parts) != 1:
        raise FhirError(400, f"Référence invalide : attendue {' ou '.join(types)}/<id>.", code="invalid")
    try:
        return parse_id(value)
    except NotFound:
        raise FhirError(400, "Identifiant de ressource invalide.", code="invalid") from None


def read_json(request) -> dict:
    content_type = request.content_type or ""
    if content_type not in ACCEPTED_BODY_TYPES:
        raise FhirError(415, "Le corps doit être du JSON FHIR (application/fhir+json).", code="not-supported")
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FhirError(400, "Le corps de la requête n’est pas un JSON valide.", code="structure") from None
    if not isinstance(body, dict | list):
        raise FhirError(400, "Le corps de la requête doit être un objet JSON.", code="structure")
    if "\\u0000" in request.body.decode("utf-8").lower():
        raise FhirError(400, "Caractère nul interdit dans le corps de la requête.", code="invalid")
    return body


def elements(parent, name: str) -> list[dict]:
    """The FHIR array of objects `parent[name]` (partOf, payload, item, extension…), [] when absent; a French 400
    when the client sent anything else (an object, a number, a string), so no resource reads a wrong shape."""
    value = parent.get(name) if isinstance(parent, dict) else None
    if value is None or value == []:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise FhirError(400, f"« {name[:40]} » doit être une liste d’objets JSON.", code="structure")
    return value


def strings(parent, name: str) -> list[str]:
    """The FHIR array of strings `parent[name]` (given, line); a French 400 when it is not one."""
    value = parent.get(name) if isinstance(parent, dict) else None
    if value is None or value == []:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FhirError(400, f"« {name[:40]} » doit être une liste de chaînes.", code="structure")
    return value


def ref(resource_type: str, pk, display: str = "") -> dict:
    value = {"reference": f"{resource_type}/{pk}"}
    if display:
        value["display"] = display
    return value


def instant(value) -> str | None:
    return value.isoformat(timespec="milliseconds") if value else None
