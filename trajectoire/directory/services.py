"""Directory rules shared by views, commands and other apps: EHPAD monthly cost, commune lookup, free places."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record

from .enums import PlacesSource
from .geo import normalize
from .models import Commune, PrixEhpad, Structure, Unite

LABEL_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<postal>[0-9]{5})\)$")
DAYS_PER_MONTH = Decimal("30.42")  # 365 / 12


LIBELLE_PRIX_MENSUEL = "Prix mensuel (hébergement + tarif dépendance GIR 5-6), avant aides"
EXPLICATION_PRIX_MENSUEL = (
    "L’APA en établissement et l’aide au logement (APL ou ALS) peuvent diminuer ce montant ; l’APA dépend des "
    "revenus de la personne, pas seulement de son degré d’autonomie."
)


@dataclass(frozen=True)
class PrixMensuel:
    """Monthly price of a permanent stay in an EHPAD, in euros (CNSA daily prices × 30.42 days), before any aid.

    Not a « reste à charge »: the CNSA defines « reste à charge = prix hébergement + tarif dépendance −
    (aide au logement APL/ALS + APA) », where the dependency tariff charged depends on the resident's income,
    not on their GIR (https://www.pour-les-personnes-agees.gouv.fr/comprendre-le-comparateur-de-restes-charge-
    des-ehpad — vérifié). Without the income and the aids, this is the price before aids:
    hébergement (single room, permanent; the aide-sociale price when asked and published) + the GIR 5-6
    dependency tariff (the part every resident pays, CASF art. R. 314-158 ff.), the same for every GIR.
    """

    hebergement: Decimal
    tarif_dependance: Decimal  # GIR 5-6 tariff, per month
    aide_sociale: bool
    annee: int | None  # year of the CNSA prices (source file), shown beside the figure

    @property
    def total(self) -> Decimal:
        return self.hebergement + self.tarif_dependance

    libelle = LIBELLE_PRIX_MENSUEL  # the words every page shows beside the figure
    explication = EXPLICATION_PRIX_MENSUEL


def _month(daily: Decimal) -> Decimal:
    return (daily * DAYS_PER_MONTH).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def prix_mensuel_ehpad(
    structure: Structure | str, *, aide_sociale: bool = False, prix: PrixEhpad | None = None
) -> PrixMensuel | None:
    """The monthly price before aids, or None when the CNSA prices are not known.

    The one computation every page, the JSON search and the API show. `prix` may be passed when already
    fetched (search results) to avoid a query.
    """
    finess = structure if isinstance(structure, str) else structure.finess
    if prix is None:
        prix = PrixEhpad.objects.filter(finess=finess).first()
    if prix is None:
        return None
    daily = (prix.heb_perm_seule_as if aide_sociale else None) or prix.heb_perm_seule or prix.heb_perm_double
    if daily is None or prix.tarif_gir_56 is None:
        return None
    annee = prix.annee_source or (prix.source_updated_at.year if prix.source_updated_at else None)
    return PrixMensuel(
        hebergement=_month(daily),
        tarif_dependance=_month(prix.tarif_gir_56),
        aide_sociale=aide_sociale and prix.heb_perm_seule_as is not None,
        annee=annee,
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


# --- Free places: one door for the référent's page, the ROR import and the structures' software (FHIR API) ---


PLACES_FIELDS = ["free_places", "free_places_source", "free_places_declared_at"]


class FreePlacesError(ValueError):
    """Free places refused; the message is French, for the user or the API's OperationOutcome."""


def check_free_places(unite: Unite, places, source: str) -> int:
    if source not in PlacesSource.values:
        raise FreePlacesError(f"Source de places inconnue : « {source} ».")
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise FreePlacesError(
            f"Le nombre de places disponibles doit être un entier positif ou nul (reçu « {places} »)."
        )
    if unite.capacity is not None and places > unite.capacity:
        raise FreePlacesError(
            f"Les places disponibles ({places}) ne peuvent pas dépasser la capacité ({unite.capacity})."
        )
    return places


def apply_free_places(unite: Unite, places: int, *, source: str, at=None) -> bool:
    """Set value, source and date on the instance (not saved); False when a newer declaration is already there.

    The newest declaration wins whatever its source: an import of an older ROR snapshot does not undo what the
    référent typed this morning, and the page says who declared the figure and when.
    """
    at = at or timezone.now()
    if unite.free_places_declared_at and at < unite.free_places_declared_at:
        return False
    unite.free_places, unite.free_places_source, unite.free_places_declared_at = places, source, at
    return True


@transaction.atomic
def update_free_places(unite: Unite, places, *, source: str, at=None, by=None) -> Unite:
    """Declare the unit's free places (checked, dated, traced), under a row lock; returns the unit as stored.

    Raises FreePlacesError. A declaration older than the stored one changes nothing (the newest wins). The
    instance passed in gets the stored values too.
    """
    locked = Unite.objects.select_for_update().get(pk=unite.pk)
    places = check_free_places(locked, places, source)
    if apply_free_places(locked, places, source=source, at=at):
        locked.save(update_fields=PLACES_FIELDS)
        record(Action.UPDATE, actor=by, obj=locked, free_places=places, source=source)
    for name in PLACES_FIELDS:
        setattr(unite, name, getattr(locked, name))
    return locked


def fresh_free_places(unite: Unite, now=None) -> int | None:
    """The free places a search may trust: None when never declared or older than FREE_PLACES_MAX_AGE_DAYS."""
    declared = unite.free_places_declared_at
    if unite.free_places is None or declared is None:
        return None
    if (now or timezone.now()) - declared > timedelta(days=settings.FREE_PLACES_MAX_AGE_DAYS):
        return None
    return unite.free_places


def declared_ago(when, now=None) -> str:
    """« aujourd’hui », « hier », « il y a 3 jours » (calendar days, local time)."""
    days = (timezone.localdate(now or timezone.now()) - timezone.localdate(when)).days
    if days <= 0:
        return "aujourd’hui"
    return "hier" if days == 1 else f"il y a {days} jours"
