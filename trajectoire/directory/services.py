"""Directory rules shared by views, commands and other apps: EHPAD monthly cost, commune lookup, free places."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record

from .geo import normalize
from .models import Commune, PrixEhpad, Structure, Unite

LABEL_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<postal>[0-9]{5})\)$")
DAYS_PER_MONTH = Decimal("30.42")  # 365 / 12
GIR_GROUPS = {1: "12", 2: "12", 3: "34", 4: "34", 5: "56", 6: "56"}


@dataclass(frozen=True)
class CoutMensuel:
    """Monthly cost of a permanent stay in an EHPAD, in euros (CNSA daily prices × 30.42 days).

    Formula (Code de l'action sociale et des familles, art. R314-158 ff.):
    - hébergement = daily accommodation price (single room, permanent; the aide-sociale price when asked
      and published);
    - ticket modérateur = the GIR 5-6 dependency tariff, paid by every resident whatever their GIR;
    - the rest of the dependency tariff of the resident's GIR (tarif GIR − tarif GIR 5-6) is paid by the
      APA en établissement (shown as `apa`, not charged to the resident);
    - reste à charge = (hébergement + tarif GIR 5-6) × 30.42, before any housing allowance or aide sociale.
    """

    hebergement: Decimal
    ticket_moderateur: Decimal
    apa: Decimal | None
    gir: int | None
    aide_sociale: bool

    @property
    def reste_a_charge(self) -> Decimal:
        return self.hebergement + self.ticket_moderateur


def _month(daily: Decimal) -> Decimal:
    return (daily * DAYS_PER_MONTH).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def estimate_monthly_cost(
    structure: Structure | str, gir: int | None = None, *, aide_sociale: bool = False, prix: PrixEhpad | None = None
) -> CoutMensuel | None:
    """The monthly cost for a resident of `gir` (1–6), or None when the CNSA prices are not known.

    `prix` may be passed when already fetched (search results) to avoid a query.
    """
    finess = structure if isinstance(structure, str) else structure.finess
    if prix is None:
        prix = PrixEhpad.objects.filter(finess=finess).first()
    if prix is None:
        return None
    daily = (prix.heb_perm_seule_as if aide_sociale else None) or prix.heb_perm_seule or prix.heb_perm_double
    if daily is None or prix.tarif_gir_56 is None:
        return None
    apa = None
    if gir in GIR_GROUPS:
        tarif = getattr(prix, f"tarif_gir_{GIR_GROUPS[gir]}")
        apa = _month(tarif - prix.tarif_gir_56) if tarif is not None else None
    return CoutMensuel(
        hebergement=_month(daily),
        ticket_moderateur=_month(prix.tarif_gir_56),
        apa=apa,
        gir=gir,
        aide_sociale=aide_sociale and prix.heb_perm_seule_as is not None,
    )


def find_communes(query: str, limit: int = 10) -> list[Commune]:
    """Communes by postal code (prefix) or by name, tolerant to accents, hyphens and 'st' for 'saint'.

    Exact names first, then names starting with the query, then names containing it.
    """
    query = (query or "").strip()
    if labelled := LABEL_RE.match(query):  # "Saint Etienne (42000)", as the autocomplete shows it
        name, postal = normalize(labelled["name"]), labelled["postal"]
        exact = Commune.objects.filter(search_name=name, postal_codes__contains=postal).first()
        if exact:
            return [exact]
        query = labelled["name"]
    if query.isdigit():
        if len(query) < 2:
            return []
        return list(Commune.objects.filter(postal_codes__contains=query).order_by("name")[: limit * 5])[:limit]
    text = normalize(query)
    if len(text) < 2:
        return []
    exact = list(Commune.objects.filter(search_name=text)[:limit])
    starting = list(
        Commune.objects.filter(Q(search_name__startswith=text + " ") | Q(search_name__startswith=text))
        .exclude(search_name=text)
        .order_by("search_name")[:limit]
    )
    found = exact + starting
    if len(found) < limit:
        found += list(Commune.objects.filter(search_name__contains=" " + text).order_by("search_name")[:limit])
    unique = list({c.pk: c for c in found}.values())
    return unique[:limit]


def commune_by_insee(insee: str) -> Commune | None:
    return Commune.objects.filter(insee=(insee or "").strip()).first()


class FreePlacesError(ValueError):
    """A free-places figure refused; the message is French."""


@transaction.atomic
def update_free_places(unite: Unite, places: int, *, source: str, at=None, by=None) -> Unite:
    """Declare a unit's free places (référent page, import, API), with the time of the declaration.

    Minimal version written for the FHIR API (issue 17); issue 18 owns the full one (same signature).
    `source` says who declared ("referent", "import", "api"); `at` defaults to now.
    """
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise FreePlacesError("Le nombre de places disponibles doit être un entier positif ou nul.")
    unite = Unite.objects.select_for_update().get(pk=unite.pk)
    if unite.capacity is not None and places > unite.capacity:
        raise FreePlacesError("Les places disponibles ne peuvent pas dépasser la capacité.")
    unite.free_places = places
    unite.free_places_declared_at = at or timezone.now()
    unite.save(update_fields=["free_places", "free_places_declared_at"])
    record(Action.UPDATE, actor=by, obj=unite, free_places=places, source=source)
    return unite
