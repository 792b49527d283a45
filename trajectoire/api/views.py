"""The `/fhir/` router: one view, every answer FHIR JSON, every error an OperationOutcome in French.

The API authenticates with bearer tokens (no cookie), so it is exempt from CSRF; a session cookie sent along
is ignored.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from . import auth, capability
from .fhir import FhirError, NotFound, error_response, fhir_response, parse_id, read_json
from .registry import load
from .transaction import transaction_bundle

logger = logging.getLogger(__name__)


@csrf_exempt
def dispatch(request, path: str = "") -> HttpResponse:
    try:
        return _route(request, path or "")
    except FhirError as error:
        return error_response(error)
    except Http404:
        return error_response(NotFound())
    except RequestDataTooBig:
        return error_response(FhirError(413, "Corps de requête trop volumineux (2,5 Mo au plus).", code="too-long"))
    except SuspiciousOperation:  # too many fields, malformed headers…
        return error_response(FhirError(400, "Requête refusée : elle est mal formée.", code="security"))
    except DataError:  # a value the database refuses (too long, out of range): the client's input
        return error_response(
            FhirError(400, "Valeur refusée par la base de données : vérifiez la saisie.", code="invalid")
        )
    except Exception:
        logger.exception("fhir error", extra={"event": "fhir_error"})
        return error_response(
            FhirError(500, "Erreur interne du serveur : l’incident est enregistré.", code="exception")
        )


def _allow(request, *methods: str) -> None:
    if request.method not in methods:
        raise FhirError(
            405, f"Méthode {request.method} non prise en charge ici.", headers={"Allow": ", ".join(methods)}
        )


def _route(request, path: str) -> HttpResponse:
    base = request.build_absolute_uri("/fhir/")
    if path == "metadata":
        _allow(request, "GET", "HEAD")
        if request.headers.get("Authorization"):
            auth.authenticate(request)  # an authenticated metadata read (the benchmark's baseline) checks the token
        return fhir_response(capability.capability_statement(base))
    if path == ".well-known/smart-configuration":
        _allow(request, "GET", "HEAD")
        return JsonResponse(capability.smart_configuration(base))
    if path == "openapi.json":
        _allow(request, "GET", "HEAD")
        return JsonResponse(capability.openapi(base))
    if path == "auth/token":
        _allow(request, "POST")
        return _token(request, base)
    if path == "":
        _allow(request, "POST")
        ctx = auth.authenticate(request)
        return fhir_response(transaction_bundle(ctx, read_json(request)))
    parts = path.split("/")
    definition = load().get(parts[0])
    if definition is None or len(parts) > 2 or (len(parts) == 2 and not parts[1]):
        raise FhirError(404, "Type de ressource ou adresse inconnus de cette API.", code="not-found")
    if len(parts) == 1:
        return _type_level(request, definition)
    return _instance_level(request, definition, parts[1])


def _token(request, base: str) -> HttpResponse:
    try:
        body = auth.issue_token(request, f"{base}auth/token")
    except auth.OAuthError as error:
        response = JsonResponse({"error": error.error, "error_description": error.description}, status=error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Basic realm="fhir"'
        return response
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


def _type_level(request, definition) -> HttpResponse:
    methods = [m for m, h in (("GET", definition.search), ("POST", definition.create)) if h]
    _allow(request, *methods)
    ctx = auth.authenticate(request)
    if request.method == "GET":
        auth.require(ctx, definition.type, "search-type")
        return fhir_response(definition.search(ctx, request.GET))
    auth.require(ctx, definition.type, "create")
    resource = definition.create(ctx, read_json(request))
    return fhir_response(resource, 201, _version_headers(resource, request))


def _instance_level(request, definition, raw_id: str) -> HttpResponse:
    handlers = (("GET", definition.read), ("PUT", definition.update), ("PATCH", definition.patch))
    _allow(request, *[m for m, h in handlers if h])
    ctx = auth.authenticate(request)
    resource_id = raw_id if definition.text_ids else parse_id(raw_id)
    if definition.text_ids and (len(raw_id) > 64 or not raw_id.isascii()):
        raise NotFound()
    if request.method == "GET":
        auth.require(ctx, definition.type, "read")
        resource = definition.read(ctx, resource_id)
        return fhir_response(resource, headers=_version_headers(resource))
    auth.require(ctx, definition.type, "update")
    if_match = request.headers.get("If-Match", "")
    handler = definition.update if request.method == "PUT" else definition.patch
    resource = handler(ctx, resource_id, read_json(request), if_match)
    return fhir_response(resource, headers=_version_headers(resource))


def _version_headers(resource: dict, request=None) -> dict:
    headers = {}
    meta = resource.get("meta") or {}
    if meta.get("versionId"):
        headers["ETag"] = f'W/"{meta["versionId"]}"'
    if meta.get("lastUpdated"):
        headers["Last-Modified"] = http_date(datetime.fromisoformat(meta["lastUpdated"]).timestamp())
    if request is not None:
        headers["Location"] = request.build_absolute_uri(f"/fhir/{resource['resourceType']}/{resource['id']}")
    return headers
