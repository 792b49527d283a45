"""CapabilityStatement, SMART configuration and OpenAPI document, all generated from the registry."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .fhir import FHIR_VERSION, MEDIA_TYPE
from .registry import COMMON_SEARCH, ResourceDef, load

SMART_EXT = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def smart_configuration(base: str) -> dict:
    from .scopes import _V1

    return {
        "token_endpoint": f"{base}auth/token",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384", "RS256", "ES256"],
        "scopes_supported": [f"system/{r}.{a}" for r in sorted(load()) for a in (*_V1, "rs", "cu")],
        "capabilities": [
            "client-confidential-asymmetric",
            "client-confidential-symmetric",
            "permission-v1",
            "permission-v2",
        ],
    }


def _resource(definition: ResourceDef) -> dict:
    entry = {
        "type": definition.type,
        "documentation": definition.documentation,
        "interaction": [{"code": code} for code in definition.interactions],
    }
    if definition.profile:
        entry["profile"] = definition.profile
    if definition.versioned:
        entry.update(versioning="versioned-update", conditionalUpdate=False, updateCreate=False)
    if definition.includes:
        entry["searchInclude"] = list(definition.includes)
    if definition.search:
        entry["searchParam"] = [
            {"name": p.name, "type": p.type, "documentation": p.documentation}
            for p in (*definition.search_params, *COMMON_SEARCH)
        ]
    return entry


def capability_statement(base: str) -> dict:
    registry = load()
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.now().date().isoformat(),
        "publisher": "Trajectoire",
        "kind": "instance",
        "software": {"name": "Trajectoire"},
        "implementation": {"description": "API FHIR de Trajectoire (orientation des patients)", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": [MEDIA_TYPE, "json"],
        "patchFormat": ["application/json-patch+json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "description": "SMART Backend Services (client_credentials) : private_key_jwt ou "
                    "client_secret_basic ; portées system/<Ressource>.read|write et .rs|.cu.",
                    "extension": [{"url": SMART_EXT, "extension": [{"url": "token", "valueUri": f"{base}auth/token"}]}],
                },
                "resource": [_resource(d) for _, d in sorted(registry.items())],
                "interaction": [{"code": "transaction"}],
            }
        ],
    }


def openapi(base: str) -> dict:
    """OpenAPI 3.0 of the FHIR surface (for schemathesis and client generators)."""
    from .openapi import document

    return document(base, load(), settings.API_PAGE_SIZE_MAX)
