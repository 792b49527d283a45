"""HealthcareService = a unit: what it takes (domain, type, SMR mentions, care needs, ages) and its free places.

The structure's own software may declare free places (PATCH/PUT of the `places-disponibles` extension) through
`directory.services.update_free_places`, like the référent's page.
"""

from __future__ import annotations

import json

import jsonpatch
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from trajectoire.accounts.enums import Role
from trajectoire.accounts.permissions import has_role
from trajectoire.directory import services as directory_services
from trajectoire.directory.models import Unite

from ..fhir import PROJECT_BASE, FhirError, NotFound, elements, instant, ref, reference_id
from ..registry import SearchParam
from ..search import bundle, check_params
from .codesystems import concept

AGE_EXT = f"{PROJECT_BASE}/StructureDefinition/tranche-age"
PLACES_EXT = f"{PROJECT_BASE}/StructureDefinition/places-disponibles"


def units():
    return Unite.objects.filter(is_active=True, structure__is_active=True).select_related("structure").order_by("pk")


def _age(value) -> dict:
    return {"value": value, "unit": "an", "system": "http://unitsofmeasure.org", "code": "a"}


def _extensions(u: Unite) -> list:
    extensions = []
    if u.age_min is not None or u.age_max is not None:
        age = {}
        if u.age_min is not None:
            age["low"] = _age(u.age_min)
        if u.age_max is not None:
            age["high"] = _age(u.age_max)
        extensions.append({"url": AGE_EXT, "valueRange": age})
    places = []
    if u.free_places is not None:
        places.append({"url": "nombre", "valueUnsignedInt": u.free_places})
    if u.free_places_declared_at is not None:
        places.append({"url": "date", "valueDateTime": instant(u.free_places_declared_at)})
    if u.capacity is not None:
        places.append({"url": "capacite", "valueUnsignedInt": u.capacity})
    if places:
        extensions.append({"url": PLACES_EXT, "extension": places})
    return extensions


def healthcare_service(u: Unite) -> dict:
    resource = {
        "resourceType": "HealthcareService",
        "id": str(u.pk),
        "extension": _extensions(u),
        "active": u.is_active,
        "providedBy": ref("Organization", u.structure_id, u.structure.name),
        "category": [concept("domaine", u.domain)],
        "type": [concept("type-prise-en-charge", u.structure_type)],
        "specialty": [concept("mention-smr", m) for m in u.mentions_smr or []],
        "location": [ref("Location", u.structure_id)],
        "name": u.name,
        "characteristic": [concept("besoins-soins", c) for c in u.capabilities or []],
    }
    return {k: v for k, v in resource.items() if v != []}


def _token_value(raw: str) -> str:
    return raw.rpartition("|")[2][:60]


def _json_list_has(queryset, field: str, code: str):
    """A JSON list holding `code`: `@>` on PostgreSQL; SQLite (the demo) has no JSON containment, so the
    quoted code is looked for in the stored text."""
    if connection.features.supports_json_field_contains:
        return queryset.filter(**{f"{field}__contains": [code]})
    return queryset.annotate(**{f"{field}_text": Cast(field, TextField())}).filter(
        **{f"{field}_text__contains": json.dumps(code)}
    )


def search_units(ctx, params, definition):
    check_params(definition, params)
    queryset = units()
    if organization := params.get("organization"):
        queryset = queryset.filter(structure_id=reference_id(organization, "Organization"))
    if category := params.get("service-category"):
        queryset = queryset.filter(domain=_token_value(category))
    if kind := params.get("service-type"):
        queryset = queryset.filter(structure_type=_token_value(kind))
    if specialty := params.get("specialty"):
        queryset = _json_list_has(queryset, "mentions_smr", _token_value(specialty))
    if characteristic := params.get("characteristic"):
        queryset = _json_list_has(queryset, "capabilities", _token_value(characteristic))
    if name := params.get("name"):
        queryset = queryset.filter(name__icontains=name[:100])
    if params.get("places-disponibles") is not None:
        from ..search import integer

        queryset = queryset.filter(free_places__gte=integer(params, "places-disponibles", 0, 100_000))
    return bundle(ctx, definition, queryset, healthcare_service, params=params)


UNIT_SEARCH = (
    SearchParam("organization", "reference", "Organization/<id> de l’établissement."),
    SearchParam("service-category", "token", "Domaine (CodeSystem domaine)."),
    SearchParam("service-type", "token", "Type de prise en charge (CodeSystem type-prise-en-charge)."),
    SearchParam("specialty", "token", "Mention SMR (CodeSystem mention-smr)."),
    SearchParam("characteristic", "token", "Besoin en soins pris en charge (CodeSystem besoins-soins)."),
    SearchParam("name", "string", "Partie du nom de l’unité."),
    SearchParam("places-disponibles", "number", "Au moins ce nombre de places disponibles déclarées."),
)


def _editable_unit(ctx, pk) -> Unite:
    unite = units().filter(pk=pk).first()
    if unite is None:
        raise NotFound("Unité introuvable.")
    user = ctx.user
    if not (has_role(user, unite.structure_id, Role.ADMISSIONS) or has_role(user, unite.structure_id, Role.REFERENT)):
        raise FhirError(403, "Seul l’établissement de cette unité peut déclarer ses places.", code="forbidden")
    return unite


def _declared_places(resource: dict) -> int:
    for extension in elements(resource, "extension"):
        if extension.get("url") == PLACES_EXT:
            for part in elements(extension, "extension"):
                if part.get("url") == "nombre":
                    return part.get("valueUnsignedInt")
    raise FhirError(422, "Indiquez les places disponibles (extension places-disponibles, « nombre »).", code="required")


@transaction.atomic
def update_unit(ctx, pk, body, if_match="") -> dict:
    """PUT or PATCH: only the number of free places may change (the rest is the référent's page)."""
    unite = _editable_unit(ctx, pk)
    current = healthcare_service(unite)
    if isinstance(body, list):
        try:
            body = jsonpatch.apply_patch(current, body)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError, ValueError) as exc:
            raise FhirError(422, f"JSON Patch inapplicable : {str(exc)[:200]}", code="invalid") from None
    if not isinstance(body, dict) or body.get("resourceType") != "HealthcareService":
        raise FhirError(400, "Le corps doit être une ressource HealthcareService.", code="structure")
    places = _declared_places(body)
    try:
        unite = directory_services.update_free_places(unite, places, source="api", by=ctx.user)
    except directory_services.FreePlacesError as exc:
        raise FhirError(422, str(exc), code="business-rule") from None
    unite.structure = Unite.objects.select_related("structure").get(pk=unite.pk).structure
    return healthcare_service(unite)
