"""Directory resources (read/search): Organization and Location (a FINESS establishment), HealthcareService
(a unit), Practitioner (an RPPS professional) and PractitionerRole (a membership in a structure).

Identifiers follow the ANS systems (FINESS `urn:oid:1.2.250.1.71.4.2.2`, RPPS `urn:oid:1.2.250.1.71.4.2.1`);
codes the project owns come from its CodeSystems (`codesystems.py`).
"""

from __future__ import annotations

from trajectoire.accounts.models import Membership, User
from trajectoire.directory.geo import bounding_box, haversine_km
from trajectoire.directory.models import Structure

from ..fhir import FINESS_SYSTEM, RPPS_SYSTEM, FhirError, NotFound, instant, ref
from ..registry import ResourceDef, SearchParam, register
from ..search import bundle, check_params
from .codesystems import concept
from .units import UNIT_SEARCH, healthcare_service, search_units, units, update_unit

FINESS_CATEGORY_SYSTEM = (
    "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement"
)


def structures():
    return Structure.objects.filter(is_active=True).order_by("pk")


def _address(s: Structure) -> list:
    if not (s.address or s.city or s.postal_code):
        return []
    address = {"use": "work", "city": s.city, "postalCode": s.postal_code, "country": "FR"}
    if s.address:
        address["line"] = [s.address]
    return [{k: v for k, v in address.items() if v}]


def organization(s: Structure) -> dict:
    resource = {
        "resourceType": "Organization",
        "id": str(s.pk),
        "meta": {"lastUpdated": instant(s.updated_at)},
        "identifier": [{"use": "official", "system": FINESS_SYSTEM, "value": s.finess}],
        "active": s.is_active,
        "type": [{"coding": [{"system": FINESS_CATEGORY_SYSTEM, "code": s.category_code}], "text": s.category_label}],
        "name": s.name,
        "telecom": [
            t for t in ({"system": "phone", "value": s.phone}, {"system": "email", "value": s.email}) if t["value"]
        ],
        "address": _address(s),
    }
    if s.domain:
        resource["type"].append(concept("domaine", s.domain))
    if s.finess_ej:
        resource["partOf"] = {"identifier": {"system": FINESS_SYSTEM, "value": s.finess_ej}}
    return {k: v for k, v in resource.items() if v not in ([], "", None)}


def location(s: Structure) -> dict:
    resource = {
        "resourceType": "Location",
        "id": str(s.pk),
        "meta": {"lastUpdated": instant(s.updated_at)},
        "identifier": [{"system": FINESS_SYSTEM, "value": s.finess}],
        "status": "active" if s.is_active else "inactive",
        "name": s.name,
        "mode": "instance",
        "managingOrganization": ref("Organization", s.pk, s.name),
    }
    if address := _address(s):
        resource["address"] = address[0]
    if s.latitude is not None and s.longitude is not None:
        resource["position"] = {"latitude": s.latitude, "longitude": s.longitude}
    return resource


def _token(params, name: str, system: str) -> str | None:
    """`system|value` or `value` → value (a wrong system matches nothing)."""
    raw = params.get(name)
    if raw is None:
        return None
    declared, bar, value = raw.rpartition("|")
    if bar and declared and declared != system:
        return ""  # another system: matches nothing
    return value


def _structure_filters(queryset, params):
    if (finess := _token(params, "identifier", FINESS_SYSTEM)) is not None:
        queryset = queryset.filter(finess=finess) if finess else queryset.none()
    if name := params.get("name"):
        queryset = queryset.filter(name__icontains=name[:100])
    if postal := params.get("address-postalcode"):
        queryset = queryset.filter(postal_code__startswith=postal[:5])
    return queryset


def search_organizations(ctx, params):
    check_params(ORGANIZATION, params)
    return bundle(ctx, ORGANIZATION, _structure_filters(structures(), params), organization, params=params)


def _near(params):
    raw = params.get("near")
    if raw is None:
        return None
    parts = raw.split("|")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        radius = float(parts[2]) if len(parts) > 2 and parts[2] else 50.0
    except (ValueError, IndexError):
        raise FhirError(400, "« near » attend latitude|longitude|distance|km.", code="invalid") from None
    unit = parts[3] if len(parts) > 3 else "km"
    # NaN and infinities fail these comparisons too.
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius <= 500 and unit in ("km", "[km]")):
        raise FhirError(400, "« near » : coordonnées hors bornes ou distance hors de ]0, 500] km.", code="invalid")
    return lat, lon, radius


def search_locations(ctx, params):
    check_params(LOCATION, params)
    queryset = _structure_filters(structures(), params)
    near = _near(params)
    if near is None:
        return bundle(ctx, LOCATION, queryset, location, params=params)
    lat, lon, radius = near
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
    candidates = queryset.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
    ranked = sorted(
        (haversine_km(lat, lon, s.latitude, s.longitude), s.pk, s) for s in candidates.only(*_LOCATION_FIELDS)
    )
    return bundle(ctx, LOCATION, [s for d, _, s in ranked if d <= radius], location, params=params)


_LOCATION_FIELDS = ("pk", "finess", "name", "is_active", "updated_at", "address", "city", "postal_code")
_LOCATION_FIELDS += ("latitude", "longitude")


def practitioners():
    return User.objects.filter(is_active=True, rpps__isnull=False).order_by("pk")


def practitioner(u: User) -> dict:
    resource = {
        "resourceType": "Practitioner",
        "id": str(u.pk),
        "identifier": [{"use": "official", "system": RPPS_SYSTEM, "value": u.rpps}],
        "active": u.is_active,
        "name": [{"family": u.last_name, "given": [u.first_name] if u.first_name else []}],
    }
    if u.profession:
        resource["qualification"] = [{"code": {"text": u.get_profession_display()}}]
    resource["name"] = [{k: v for k, v in resource["name"][0].items() if v}]
    return resource


def search_practitioners(ctx, params):
    check_params(PRACTITIONER, params)
    queryset = practitioners()
    if (rpps := _token(params, "identifier", RPPS_SYSTEM)) is not None:
        queryset = queryset.filter(rpps=rpps) if rpps else queryset.none()
    if family := params.get("family"):
        queryset = queryset.filter(last_name__iexact=family[:150])
    return bundle(ctx, PRACTITIONER, queryset, practitioner, params=params)


def roles():
    return (
        Membership.objects.active()
        .filter(user__rpps__isnull=False, structure__is_active=True)
        .select_related("user", "structure")
        .order_by("pk")
    )


def practitioner_role(m: Membership) -> dict:
    codes = [concept("habilitation", role.value) for role in m.roles]
    resource = {
        "resourceType": "PractitionerRole",
        "id": str(m.pk),
        "active": m.is_active,
        "practitioner": ref("Practitioner", m.user_id, str(m.user)),
        "organization": ref("Organization", m.structure_id, m.structure.name),
        "location": [ref("Location", m.structure_id)],
        "code": codes,
    }
    return {k: v for k, v in resource.items() if v != []}


def search_roles(ctx, params):
    check_params(PRACTITIONER_ROLE, params)
    queryset = roles()
    if (rpps := _token(params, "practitioner.identifier", RPPS_SYSTEM)) is not None:
        queryset = queryset.filter(user__rpps=rpps) if rpps else queryset.none()
    if organization_ref := params.get("organization"):
        from ..fhir import reference_id

        queryset = queryset.filter(structure_id=reference_id(organization_ref, "Organization"))
    return bundle(ctx, PRACTITIONER_ROLE, queryset, practitioner_role, params=params)


def _reader(queryset_fn, serialize, message):
    def read(ctx, pk):
        obj = queryset_fn().filter(pk=pk).first()
        if obj is None:
            raise NotFound(message)
        return serialize(obj)

    return read


_IDENTIFIER = SearchParam("identifier", "token", "Numéro FINESS (système urn:oid:1.2.250.1.71.4.2.2|numéro).")
_STRUCTURE_SEARCH = (
    _IDENTIFIER,
    SearchParam("name", "string", "Partie du nom."),
    SearchParam("address-postalcode", "string", "Code postal (début)."),
)
ORGANIZATION = register(
    ResourceDef(
        "Organization",
        "Établissements (FINESS géographique) recevant des demandes.",
        read=_reader(structures, organization, "Établissement introuvable."),
        search=search_organizations,
        search_params=_STRUCTURE_SEARCH,
    )
)
LOCATION = register(
    ResourceDef(
        "Location",
        "Implantation géographique d’un établissement (position WGS84).",
        read=_reader(structures, location, "Lieu introuvable."),
        search=search_locations,
        search_params=(
            *_STRUCTURE_SEARCH,
            SearchParam("near", "special", "latitude|longitude|distance|km (500 km au plus), trié par distance."),
        ),
    )
)
HEALTHCARE_SERVICE = register(
    ResourceDef(
        "HealthcareService",
        "Unités recevant les demandes : domaine, type, mention SMR, prises en charge, âges, places disponibles.",
        read=_reader(units, healthcare_service, "Unité introuvable."),
        search=lambda ctx, params: search_units(ctx, params, HEALTHCARE_SERVICE),
        search_params=UNIT_SEARCH,
        update=update_unit,
        patch=update_unit,
    )
)
PRACTITIONER = register(
    ResourceDef(
        "Practitioner",
        "Professionnels identifiés par leur numéro RPPS.",
        read=_reader(practitioners, practitioner, "Professionnel introuvable."),
        search=search_practitioners,
        search_params=(
            SearchParam("identifier", "token", "Numéro RPPS (urn:oid:1.2.250.1.71.4.2.1|numéro)."),
            SearchParam("family", "string", "Nom de famille (exact, sans casse)."),
        ),
    )
)
PRACTITIONER_ROLE = register(
    ResourceDef(
        "PractitionerRole",
        "Rattachement d’un professionnel à un établissement, avec ses habilitations.",
        read=_reader(roles, practitioner_role, "Rôle introuvable."),
        search=search_roles,
        search_params=(
            SearchParam("practitioner.identifier", "token", "RPPS du professionnel."),
            SearchParam("organization", "reference", "Organization/<id>."),
        ),
    )
)
