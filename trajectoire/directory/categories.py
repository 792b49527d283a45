"""FINESS category -> platform structure type (and domain): one table.

PCO TND have no category of their own: they are carried by CAMSP (190), CMPP (189) or SESSAD (182),
which keep their own type; the PCO is a unit of type PCO inside its host (référents, demo). SMR is an
authorised activity: only private SSR establishments have a category (109); SMR units inside hospitals
are added as units (référents, demo).
"""

from __future__ import annotations

from .enums import STRUCTURE_TYPE_DOMAIN, Domain, StructureType

CATEGORY_TYPES: dict[str, StructureType] = {
    # Grand Âge
    "500": StructureType.EHPAD,
    "501": StructureType.EHPA,
    "502": StructureType.EHPA,
    "202": StructureType.RESIDENCE_AUTONOMIE,
    "362": StructureType.USLD,
    # Sanitaire
    "109": StructureType.SMR,
    "127": StructureType.HAD,
    "354": StructureType.SSIAD,
    "209": StructureType.SPASAD,
    "101": StructureType.HOPITAL,
    "106": StructureType.HOPITAL,
    "355": StructureType.HOPITAL,
    "365": StructureType.HOPITAL,
    "128": StructureType.HOPITAL,
    "129": StructureType.HOPITAL,
    "131": StructureType.HOPITAL,
    "122": StructureType.HOPITAL,
    "114": StructureType.HOPITAL,
    # TND: the hosts of the Plateformes de coordination et d'orientation (the PCO itself is a unit)
    "190": StructureType.CAMSP,
    "189": StructureType.CMPP,
    "182": StructureType.SESSAD,
}

# Age ranges of the default unit, by type (None = no limit).
DEFAULT_AGES: dict[str, tuple[int | None, int | None]] = {
    StructureType.EHPAD: (60, None),
    StructureType.EHPA: (60, None),
    StructureType.RESIDENCE_AUTONOMIE: (60, None),
    StructureType.USLD: (None, None),
    StructureType.PCO: (0, 12),
    StructureType.CAMSP: (0, 6),
    StructureType.CMPP: (0, 20),
    StructureType.SESSAD: (0, 20),
}

# Capabilities of the default unit, by type: only what the type itself guarantees; référents add the rest.
DEFAULT_CAPABILITIES: dict[str, list[str]] = {
    StructureType.USLD: ["soins_palliatifs", "escarres", "nutrition_enterale"],
    StructureType.HAD: ["perfusion_iv", "pansements_complexes", "soins_palliatifs"],
    StructureType.SMR: ["kinesitherapie"],
}

DEFAULT_UNIT_NAMES: dict[str, str] = {
    StructureType.EHPAD: "Hébergement permanent",
    StructureType.PCO: "Plateforme de coordination et d’orientation",
    StructureType.HOPITAL: "Établissement",
}


def structure_type_for(category_code: str) -> str:
    """The platform type of a FINESS category ('' when the platform has no use for it)."""
    return CATEGORY_TYPES.get((category_code or "").strip(), "")


def domain_for(structure_type: str) -> str:
    return STRUCTURE_TYPE_DOMAIN.get(structure_type, "") if structure_type else ""


def default_unit_name(structure_type: str) -> str:
    return DEFAULT_UNIT_NAMES.get(structure_type) or StructureType(structure_type).label


__all__ = ["CATEGORY_TYPES", "Domain", "domain_for", "structure_type_for"]
