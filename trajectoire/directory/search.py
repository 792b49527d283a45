"""Matching search: which units are *capable* of taking the patient and *adapted* to them, and why.

`search(criteres, limit=...)` is what the public annuaire, the JSON endpoint, the dossiers and the
demandes call. It runs a constant number of queries (commune, units with their structures, prices):

1. SQL: active units of the asked type/domain whose structure lies in the bounding box of the circle
   (indexed latitude/longitude), with their structure (one join);
2. Python: exact great-circle distance (no département border), then the rules below.

Capable = every required capability declared, SMR mention, age range, habilitation à l'aide sociale when
asked, the searched commune inside the unit's zone d'intervention when it declares one (ROR). Adapted = within
the radius, free places when asked, estimated monthly cost within the budget.
A unit inside the radius failing any rule is *excluded* with its reasons (shown on demand).

Free places are trusted only when declared within FREE_PLACES_MAX_AGE_DAYS (older: unknown) and shown with
their age (« 3 places, mis à jour il y a 3 jours »). Units with fresh free places come first, then by score.

Score (0–100, higher first, ties by distance):
- distance: 50 × (1 − distance / radius);
- free places: 30 when fresh free places are declared, 10 when unknown or out of date, 0 when none;
- price fit: 20 × min(1, (budget − cost) / (25 % of budget)) with a budget and a known cost, else 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models.base import ModelState
from django.utils import timezone

from trajectoire.core.prepared import prepared

from . import thesaurus
from .enums import Domain, MentionSMR, StructureType, unit_satisfies_mention
from .geo import bounding_box, haversine_km
from .models import Commune, PrixEhpad, Structure, Unite
from .services import (
    PrixMensuel,
    commune_by_insee,
    declared_ago,
    find_communes,
    fresh_free_places,
    prix_mensuel_ehpad,
)

MAX_RADIUS_KM = 1000
MAX_EXCLUDED = 200
# Columns a search reads (fewer columns, fewer conversions: the search stays fast on dense areas).
UNIT_FIELDS = ["name", "structure_type", "domain", "mentions_smr", "capabilities", "age_min", "age_max",
               "free_places", "free_places_declared_at", "free_places_source", "zone_intervention",
               "structure"]  # fmt: skip
STRUCTURE_FIELDS = ["finess", "name", "structure_type", "city", "departement", "latitude", "longitude",
                    "habilitation_aide_sociale"]  # fmt: skip
PRICE_FIELDS = ["finess", "heb_perm_seule", "heb_perm_double", "heb_perm_seule_as", "tarif_gir_12",
                "tarif_gir_34", "tarif_gir_56", "annee_source", "source_updated_at"]  # fmt: skip


class SearchError(ValueError):
    """Invalid criteria: `errors` maps a criterion name to a French message for the user."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Criteres:
    structure_type: str = ""
    domain: str = ""
    commune: str = ""  # name or postal code, as typed (the first match of the autocomplete is used)
    insee: str = ""  # exact INSEE code (chosen in the autocomplete, or a patient's commune): wins over `commune`
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = 30
    capabilities: list[str] = field(default_factory=list)
    mention_smr: str = ""
    age: int | None = None
    aide_sociale: bool = False
    max_budget: Decimal | None = None  # euros per month (EHPAD price before aids, prix_mensuel_ehpad)
    free_places_only: bool = False
    gir: int | None = None
    # Territorial competence (e.g. a PCO TND serves its département): units elsewhere are excluded.
    departement_competent: str = ""
    # The commune of `insee` when the caller has it loaded (a patient's home, read with the dossier): no query.
    commune_chargee: Commune | None = field(default=None, repr=False, compare=False)


@dataclass
class Origine:
    latitude: float
    longitude: float
    label: str
    insee: str = ""  # the commune searched from, when known (zones d'intervention are checked against it)
    departement: str = ""


@dataclass
class Resultat:
    unite: Unite
    distance_km: float
    score: float = 0.0
    matched: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why excluded (empty for a result)
    cout: PrixMensuel | None = None  # EHPAD monthly price before aids (prix_mensuel_ehpad)
    places: int | None = None  # free places a search trusts (None: never declared or out of date)

    @property
    def structure(self) -> Structure:
        return self.unite.structure

    def to_dict(self) -> dict:
        s = self.structure
        return {
            "finess": s.finess,
            "structure": s.name,
            "unite": self.unite.name,
            "unite_id": self.unite.pk,
            "type": self.unite.structure_type,
            "commune": s.city,
            "departement": s.departement,
            "distance_km": round(self.distance_km, 1),
            "score": round(self.score, 1),
            "places_disponibles": self.places,
            "places_mises_a_jour": self.unite.free_places_declared_at.isoformat() if self.places is not None else None,
            "prix_mensuel_avant_aides": int(self.cout.total) if self.cout else None,
            "prix_annee": self.cout.annee if self.cout else None,
            "explications": self.matched,
            "motifs_exclusion": self.reasons,
        }


@dataclass
class Recherche:
    criteres: Criteres
    origine: Origine
    resultats: list[Resultat]
    exclus: list[Resultat]
    total: int  # results before the limit
    places_max_age_days: int = 7  # FREE_PLACES_MAX_AGE_DAYS when the search ran

    def to_dict(self) -> dict:
        return {
            "origine": {"latitude": self.origine.latitude, "longitude": self.origine.longitude,
                        "libelle": self.origine.label},
            "rayon_km": self.criteres.radius_km,
            "total": self.total,
            "resultats": [r.to_dict() for r in self.resultats],
            "exclus": [r.to_dict() for r in self.exclus],
        }  # fmt: skip


def validate(c: Criteres) -> Origine:
    """Check the criteria (French messages per criterion) and locate the search origin."""
    errors: dict[str, str] = {}
    if c.structure_type and c.structure_type not in StructureType.values:
        errors["structure_type"] = f"Type de structure inconnu : « {c.structure_type} »."
    if c.domain and c.domain not in Domain.values:
        errors["domain"] = f"Domaine inconnu : « {c.domain} »."
    if c.radius_km is None or not (0 < c.radius_km <= MAX_RADIUS_KM):  # NaN fails the comparison too
        errors["radius_km"] = f"Le rayon doit être supérieur à 0 et au plus de {MAX_RADIUS_KM} km."
    if unknown := thesaurus.unknown_codes(c.capabilities):
        errors["capabilities"] = "Prise en charge inconnue du thésaurus : " + ", ".join(unknown) + "."
    if c.mention_smr and c.mention_smr not in MentionSMR.values:
        errors["mention_smr"] = f"Mention SMR inconnue : « {c.mention_smr} »."
    if c.age is not None and not (0 <= c.age <= 130):
        errors["age"] = "L’âge doit être compris entre 0 et 130 ans."
    if c.gir is not None and c.gir not in range(1, 7):
        errors["gir"] = "Le GIR doit être compris entre 1 et 6."
    if c.max_budget is not None and (not c.max_budget.is_finite() or c.max_budget <= 0):
        errors["max_budget"] = "Le budget mensuel doit être positif."
    origine = _origine(c, errors)
    if errors:
        raise SearchError(errors)
    return origine


def _origine(c: Criteres, errors: dict[str, str]) -> Origine | None:
    if c.latitude is not None and c.longitude is not None:
        if not (-90 <= c.latitude <= 90 and -180 <= c.longitude <= 180):
            errors["commune"] = "Coordonnées invalides."
            return None
        return Origine(c.latitude, c.longitude, f"{c.latitude:.4f}, {c.longitude:.4f}")
    text = (c.commune or "").strip()
    if not c.insee and not text:
        errors["commune"] = "Indiquez une commune (nom ou code postal)."
        return None
    known = c.commune_chargee
    if known is not None and c.insee and known.insee == c.insee.strip():
        commune = known
    else:
        commune = commune_by_insee(c.insee) if c.insee else None
    if commune is None and text:
        commune = next(iter(find_communes(text, limit=1)), None)
    if commune is None or commune.latitude is None:
        errors["commune"] = f"Commune inconnue : « {c.commune or c.insee} ». Saisissez un nom ou un code postal."
        return None
    return Origine(commune.latitude, commune.longitude, str(commune), commune.insee, commune.departement)


def _candidates(c: Criteres, origine: Origine) -> list[Unite]:
    """Active units of the box with their structure, as `select_related("structure").only(…)` would load them
    (same values, same deferred fields, `unite.structure` without a query), built from `values_list()` rows.

    Dense areas give hundreds of candidates (423 around Paris for an EHPAD within 30 km): Django's model
    iterator spent ≈ 40 µs per row building the two instances, 10 of the 17 ms of CPU of the query
    (docs/performance.md); the values and their conversions are Django's, only the instances are made here.
    """
    min_lat, max_lat, min_lon, max_lon = map(float, bounding_box(origine.latitude, origine.longitude, c.radius_km))
    column, kind = ("structure_type", c.structure_type) if c.structure_type else ("domain", c.domain)
    if kind:  # the usual search, its SQL kept (core.prepared)
        rows = _candidate_rows.queryset(
            column, kind=kind, min_lat=min_lat, max_lat=max_lat, min_lon=min_lon, max_lon=max_lon
        )
    else:
        rows = _candidate_rows.build(None, kind="", min_lat=min_lat, max_lat=max_lat, min_lon=min_lon, max_lon=max_lon)
    split, units, structures, db = len(UNIT_COLUMNS), [], {}, rows.db  # `db` asks the router: once
    for row in rows:
        unite = _loaded(Unite, dict(zip(UNIT_COLUMNS, row[:split], strict=True)), db)
        structure = structures.get(row[split])
        if structure is None:
            structure = structures[row[split]] = _loaded(
                Structure, dict(zip(STRUCTURE_COLUMNS, row[split:], strict=True)), db
            )
        unite._state.fields_cache["structure"] = structure
        units.append(unite)
    return units


UNIT_COLUMNS = ["id", *(Unite._meta.get_field(name).attname for name in UNIT_FIELDS)]  # structure → structure_id
STRUCTURE_COLUMNS = ["id", *STRUCTURE_FIELDS]


@prepared
def _candidate_rows(column: str | None, *, kind: str, min_lat: float, max_lat: float, min_lon: float, max_lon: float):
    """The candidates' columns, units of the type (`column` "structure_type") or domain ("domain") `kind`, or any
    unit (`column` None: built, not prepared) whose structure lies in the box."""
    qs = Unite.objects.filter(
        is_active=True,
        structure__is_active=True,
        structure__latitude__range=(min_lat, max_lat),
        structure__longitude__range=(min_lon, max_lon),
    ).order_by()
    if column:
        qs = qs.filter(**{column: kind})
    return qs.values_list(*UNIT_COLUMNS, *(f"structure__{name}" for name in STRUCTURE_COLUMNS))


def _loaded(model, values: dict, db: str):
    """An instance as Django's `Model.from_db` makes it for these loaded fields (the others deferred: read on
    access), without running `__init__` field by field. No model here listens to pre_init/post_init."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    instance._state = ModelState()
    instance._state.adding, instance._state.db = False, db
    return instance


def _prices(units: list[Unite]) -> dict[str, PrixEhpad]:
    finess = {u.structure.finess for u in units if u.domain == Domain.GRAND_AGE}
    if not finess:
        return {}
    prices = PrixEhpad.objects.filter(finess__in=finess).only(*PRICE_FIELDS)
    return {p.finess: p for p in prices}


def _euros(value) -> str:
    return f"{int(value):,}".replace(",", "\u202f") + " €"


def _check(r: Resultat, c: Criteres, prix: PrixEhpad | None, now, origine: Origine) -> None:
    """Fill r.matched (what fits) and r.reasons (what does not)."""
    unite, structure = r.unite, r.unite.structure
    r.matched.append(f"À {r.distance_km:.1f} km".replace(".", ","))
    declared = set(unite.capabilities or [])
    if c.capabilities:
        missing = [code for code in c.capabilities if code not in declared]
        if missing:
            r.reasons.append("Ne déclare pas : " + ", ".join(thesaurus.label(m) for m in missing))
        else:
            r.matched.append("Prend en charge : " + ", ".join(thesaurus.label(m) for m in c.capabilities))
    if c.mention_smr:
        label = MentionSMR(c.mention_smr).label
        if c.mention_smr in (unite.mentions_smr or []):
            r.matched.append(f"Mention SMR {label}")
        elif unit_satisfies_mention(unite.mentions_smr, c.mention_smr):
            r.matched.append(
                f"Mention SMR {label} (incluse dans une modalité plus large ; règle non vérifiée sur le texte officiel)"
            )
        else:
            r.reasons.append(f"Pas de mention SMR {label}")
    if c.age is not None:
        if unite.age_min is not None and c.age < unite.age_min:
            r.reasons.append(f"Âge minimal {unite.age_min} ans")
        elif unite.age_max is not None and c.age > unite.age_max:
            r.reasons.append(f"Âge maximal {unite.age_max} ans")
        else:
            r.matched.append(f"Âge accepté ({c.age} ans)")
    if c.aide_sociale:
        if structure.habilitation_aide_sociale:
            r.matched.append("Habilitée à l’aide sociale")
        else:
            r.reasons.append("Non habilitée à l’aide sociale")
    if c.departement_competent:
        if structure.departement == c.departement_competent:
            r.matched.append(f"Compétente pour le département {c.departement_competent}")
        else:
            r.reasons.append(f"Non compétente pour le département {c.departement_competent}")
    _check_zone(r, origine)
    _check_places(r, c, now)
    _check_budget(r, c, prix)


def _check_zone(r: Resultat, origine: Origine) -> None:
    """A unit with a declared zone d'intervention (home care, ROR) serves only the communes of its zone."""
    zone = r.unite.zone_intervention
    if not zone or not origine.insee:
        return
    if f"C:{origine.insee}" in zone or f"D:{origine.departement}" in zone:
        r.matched.append("Intervient dans cette commune")
    else:
        r.reasons.append("Hors de sa zone d’intervention")


def _check_places(r: Resultat, c: Criteres, now) -> None:
    unite = r.unite
    r.places = places = fresh_free_places(unite, now)
    if places:
        ago = declared_ago(unite.free_places_declared_at, now)
        r.matched.append(f"{places} place{'s' if places > 1 else ''}, mis à jour {ago}")
    elif not c.free_places_only:
        return
    elif places == 0:
        r.reasons.append("Aucune place disponible déclarée")
    elif unite.free_places is not None:
        ago = (
            declared_ago(unite.free_places_declared_at, now) if unite.free_places_declared_at else "à une date inconnue"
        )
        r.reasons.append(f"Places disponibles non confirmées (déclarées {ago})")
    else:
        r.reasons.append("Places disponibles non déclarées")


def _estimate_cost(r: Resultat, c: Criteres, prix: PrixEhpad | None) -> None:
    if prix is not None and r.unite.structure_type == StructureType.EHPAD:
        r.cout = prix_mensuel_ehpad(r.unite.structure, aide_sociale=c.aide_sociale, prix=prix)


def _check_budget(r: Resultat, c: Criteres, prix: PrixEhpad | None) -> None:
    if c.max_budget is None:
        return  # the cost is then only estimated for the units shown (`search`)
    _estimate_cost(r, c, prix)
    if r.cout is None:
        r.matched.append("Prix non publiés : budget non vérifié")
    elif r.cout.total > c.max_budget:
        r.reasons.append(f"Prix {_euros(r.cout.total)}/mois avant aides, au-delà du budget ({_euros(c.max_budget)})")
    else:
        r.matched.append(f"Prix {_euros(r.cout.total)}/mois avant aides, dans le budget")


def _score(r: Resultat, c: Criteres) -> float:
    score = 50 * (1 - r.distance_km / c.radius_km)
    score += 30 if r.places else (10 if r.places is None else 0)
    if c.max_budget and r.cout is not None:
        slack = (c.max_budget - r.cout.total) / (c.max_budget * Decimal("0.25"))
        score += 20 * float(max(Decimal(0), min(Decimal(1), slack)))
    else:
        score += 10
    return score


def search(criteres: Criteres, *, limit: int = 50, with_excluded: bool = True) -> Recherche:
    """Ranked, explained results (and excluded units with their reasons). Raises SearchError."""
    origine = validate(criteres)
    units = _candidates(criteres, origine)
    # The cost ranks and filters only under a budget; otherwise prices are read for the units shown.
    budget = criteres.max_budget is not None
    prices = _prices(units) if budget else {}
    resultats, exclus = [], []
    now = timezone.now()
    for unite in units:
        s = unite.structure
        distance = haversine_km(origine.latitude, origine.longitude, s.latitude, s.longitude)
        if distance > criteres.radius_km:
            continue
        r = Resultat(unite=unite, distance_km=distance)
        _check(r, criteres, prices.get(s.finess), now, origine)
        if r.reasons:
            exclus.append(r)
        else:
            r.score = _score(r, criteres)
            resultats.append(r)
    resultats.sort(key=lambda r: (not r.places, -r.score, r.distance_km))  # fresh availability first
    exclus.sort(key=lambda r: r.distance_km)
    shown, shown_excluded = resultats[:limit], exclus[:MAX_EXCLUDED] if with_excluded else []
    if not budget:
        prices = _prices([r.unite for r in shown + shown_excluded])
        for r in shown + shown_excluded:
            _estimate_cost(r, criteres, prices.get(r.structure.finess))
    return Recherche(criteres=criteres, origine=origine, resultats=shown, exclus=shown_excluded, total=len(resultats),
                     places_max_age_days=settings.FREE_PLACES_MAX_AGE_DAYS)  # fmt: skip
