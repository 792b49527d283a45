"""OpenAPI 3.0 document of the FHIR surface, generated from the registry (same source as the router)."""

from __future__ import annotations

from .fhir import MEDIA_TYPE

_RESOURCE = {"type": "object", "required": ["resourceType"], "properties": {"resourceType": {"type": "string"}}}
_ERRORS = {
    str(code): {
        "description": text,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}},
    }
    for code, text in (
        (400, "Requête invalide"),
        (401, "Jeton absent ou invalide"),
        (403, "Portée insuffisante"),
        (404, "Introuvable"),
        (405, "Méthode non prise en charge"),
        (409, "Conflit avec l’état courant"),
        (412, "Version périmée (If-Match)"),
        (413, "Corps trop volumineux"),
        (415, "Type de contenu non pris en charge"),
        (422, "Règle métier refusée"),
        (429, "Trop de requêtes"),
    )
}


def _ok(description: str, status: str = "200") -> dict:
    return {status: {"description": description, "content": {MEDIA_TYPE: {"schema": _RESOURCE}}}, **_ERRORS}


def _body() -> dict:
    return {"required": True, "content": {MEDIA_TYPE: {"schema": _RESOURCE}}}


def _type_path(definition, page_max: int) -> dict:
    item = {}
    if definition.search:
        params = [
            {
                "name": p.name,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": p.documentation,
            }
            for p in definition.search_params
        ]
        params += [
            {
                "name": "_count",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 0, "maximum": page_max},
            },
            {"name": "_offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
        ]
        item["get"] = {
            "summary": f"Rechercher {definition.type}",
            "parameters": params,
            "responses": _ok("Bundle searchset"),
        }
    if definition.create:
        item["post"] = {"summary": f"Créer {definition.type}", "requestBody": _body(), "responses": _ok("Créé", "201")}
    return item


def _instance_path(definition) -> dict:
    pattern = "^[A-Za-z0-9\\-]{1,64}$" if definition.text_ids else "^[0-9]{1,18}$"
    item = {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": pattern}}]
    }
    if definition.read:
        item["get"] = {"summary": f"Lire {definition.type}", "responses": _ok(definition.type)}
    if definition.update:
        item["put"] = {
            "summary": f"Mettre à jour {definition.type}",
            "requestBody": _body(),
            "responses": _ok(definition.type),
        }
    if definition.patch:
        patch_body = {"required": True, "content": {"application/json-patch+json": {"schema": {"type": "array"}}}}
        item["patch"] = {
            "summary": f"Modifier {definition.type} (JSON Patch)",
            "requestBody": patch_body,
            "responses": _ok(definition.type),
        }
    return item


def document(base: str, registry: dict, page_max: int) -> dict:
    paths = {
        "/fhir/metadata": {
            "get": {"summary": "CapabilityStatement", "security": [], "responses": _ok("CapabilityStatement")}
        },
        "/fhir/": {
            "post": {
                "summary": "Bundle transaction",
                "requestBody": _body(),
                "responses": _ok("Bundle transaction-response"),
            }
        },
    }
    for name, definition in sorted(registry.items()):
        if type_item := _type_path(definition, page_max):
            paths[f"/fhir/{name}"] = type_item
        if definition.read or definition.update:
            paths[f"/fhir/{name}/{{id}}"] = _instance_path(definition)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Trajectoire — API FHIR R4", "version": "4.0.1", "description": "Voir docs/api.md."},
        "servers": [{"url": base.removesuffix("/fhir/")}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "OperationOutcome": {
                    "type": "object",
                    "required": ["resourceType", "issue"],
                    "properties": {
                        "resourceType": {"enum": ["OperationOutcome"]},
                        "issue": {"type": "array", "minItems": 1},
                    },
                }
            },
        },
        "paths": paths,
    }
