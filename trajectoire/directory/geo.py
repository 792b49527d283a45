"""Geography helpers: name normalisation, département codes, projections (pyproj) and great-circle distance."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

EARTH_RADIUS_KM = 6371.0088

# FINESS codes the overseas départements with a letter; the INSEE code is 97x.
FINESS_DEPARTEMENTS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}

# Projections used by the FINESS coordinates (field sourcecoordet ends with the system's name).
LAMBERT_93 = "EPSG:2154"
SOURCE_SYSTEMS = {
    "LAMBERT_93": LAMBERT_93,
    "UTM_N20": "EPSG:5490",  # RGAF09 / UTM 20N: Guadeloupe, Martinique, Saint-Martin, Saint-Barthélemy
    "UTM_N21": "EPSG:4467",  # RGSPM06 / UTM 21N: Saint-Pierre-et-Miquelon
    "UTM_N22": "EPSG:2972",  # RGFG95 / UTM 22N: Guyane
    "UTM_S40": "EPSG:2975",  # RGR92 / UTM 40S: La Réunion
    "UTM_S38": "EPSG:4471",  # RGM04 / UTM 38S: Mayotte
}
# When the source does not name its system, the département decides.
DEPARTEMENT_SYSTEMS = {
    "971": "EPSG:5490",
    "972": "EPSG:5490",
    "973": "EPSG:2972",
    "974": "EPSG:2975",
    "975": "EPSG:4467",
    "976": "EPSG:4471",
}

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by one space: 'St-Étienne' -> 'saint etienne'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def pretty_commune_name(name: str) -> str:
    """'SAINT ETIENNE DU GRES' -> 'Saint Etienne du Gres' (the source has no accents to restore)."""
    small = {"de", "du", "des", "la", "le", "les", "l", "d", "en", "sur", "sous", "et", "aux", "au", "a", "lès"}
    words = (name or "").lower().split()
    return " ".join(w if (i and w in small) else w.capitalize() for i, w in enumerate(words))


def departement_from_insee(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]


def departement_from_finess(finess: str) -> str:
    prefix = finess[:2]
    return FINESS_DEPARTEMENTS.get(prefix, prefix)


def departement_from_postal_code(postal_code: str) -> str:
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if postal_code < "20200" else "2B"
    return postal_code[:2]


@cache
def _transformer(source: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, "EPSG:4326", always_xy=True)


def system_for(source_label: str, departement: str) -> str:
    """The EPSG code of FINESS coordinates, from their source label or else from the département."""
    last = (source_label or "").rsplit(",", 1)[-1].strip().upper()
    return SOURCE_SYSTEMS.get(last) or DEPARTEMENT_SYSTEMS.get(departement, LAMBERT_93)


def to_wgs84(x: float, y: float, system: str) -> tuple[float, float]:
    """Projected (x, y) -> (latitude, longitude) in WGS84."""
    lon, lat = _transformer(system).transform(x, y)
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        raise ValueError(f"coordonnées hors domaine ({x}, {y}) pour {system}")
    return lat, lon


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle: a cheap indexed SQL prefilter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlon = min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


# Rough centre of each overseas département, to recognise misprojected points.
OVERSEAS_CENTRES = {
    "971": (16.2, -61.5),
    "972": (14.6, -61.0),
    "973": (4.0, -53.0),
    "974": (-21.1, 55.5),
    "975": (46.9, -56.3),
    "976": (-12.8, 45.1),
}


@cache
def _to_lambert93():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", LAMBERT_93, always_xy=True)


def fix_overseas(lat: float, lon: float, departement: str) -> tuple[float, float]:
    """The 2021 FHIR extract converted overseas UTM coordinates as if they were Lambert-93.

    Such a point lands far from its département: project it back to the original (x, y) and convert it
    with the département's UTM system. Correct points are returned unchanged.
    """
    centre = OVERSEAS_CENTRES.get(departement)
    if centre is None or haversine_km(lat, lon, *centre) < 500:
        return lat, lon
    x, y = _to_lambert93().transform(lon, lat)
    fixed = to_wgs84(x, y, DEPARTEMENT_SYSTEMS[departement])
    return fixed if haversine_km(*fixed, *centre) < 500 else (lat, lon)
