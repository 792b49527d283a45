"""Response-time commitments: the target delay of a structure's first answer, per domain and urgency.

A first answer is any structure action but reading (`answered_at`, set by `services._apply`). The targets are
this instance's choices, not national rules (non vérifié: no official text sets a delay of first answer):
`settings.DELAIS_CIBLES_HEURES` ("<domain>" and "<domain>:urgente", in hours), overridden per case by the
administrator (`DelaiCible`, Django admin), kept in the shared cache and dropped when one is written.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from trajectoire.directory.enums import Domain

from .enums import Statut
from .models import DelaiCible, Demande

# The columns `attente` reads of a demande: a list that shows the wait loads at least these (`only`).
ATTENTE_FIELDS = ("domain", "urgente", "statut", "sent_at", "answered_at")
# Statuses in which the structure still owes its first answer (read is not an answer).
SANS_PREMIERE_REPONSE = [Statut.ENVOYEE, Statut.LUE]
Cibles = dict[tuple[str, bool], dt.timedelta]
# Sending to the structure's first answer, computed by the database (an interval; None while unanswered): reading
# the two timestamps of each row into Python costs more than the query itself (docs/performance.md).
DELAI_PREMIERE_REPONSE = ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())


def cibles() -> Cibles:
    """Every (domain, urgente) case and its target: settings, then the administrator's overrides."""
    configured = settings.DELAIS_CIBLES_HEURES
    table = {}
    for domain in Domain.values:
        normal = configured.get(domain, 15 * 24)
        table[(domain, False)] = dt.timedelta(hours=normal)
        table[(domain, True)] = dt.timedelta(hours=configured.get(f"{domain}:urgente", normal))
    for domain, urgente, heures in _overrides():
        table[(domain, urgente)] = dt.timedelta(hours=heures)
    return table


CIBLES_KEY = "demandes:delais_cibles:v1"


def _overrides() -> list[tuple[str, bool, int]]:
    """The administrator's targets, kept DELAIS_CIBLES_CACHE_SECONDS in the shared cache (a dozen rows read by
    every list page); writing or deleting one drops them (`overrides_changed`), so a change applies at once."""

    def read() -> list[tuple[str, bool, int]]:
        return list(DelaiCible.objects.values_list("domain", "urgente", "heures"))

    timeout = settings.DELAIS_CIBLES_CACHE_SECONDS
    return cache.get_or_set(CIBLES_KEY, read, timeout) if timeout > 0 else read()


def overrides_changed(**kwargs) -> None:
    cache.delete(CIBLES_KEY)


def cible(demande: Demande, table: Cibles | None = None) -> dt.timedelta:
    table = table if table is not None else cibles()
    return table.get((demande.domain, demande.urgente), table[(Domain.GRAND_AGE, False)])


def duree(delta: dt.timedelta) -> str:
    """« 48 heures » under three days, « 7 jours » otherwise (whole units, as people say them)."""
    hours = round(delta.total_seconds() / 3600)
    if hours < 1:
        return "moins d’une heure"
    if hours < 72:
        return f"{hours} heure{'s' if hours > 1 else ''}"
    days = round(hours / 24)
    return f"{days} jours"


@dataclass(frozen=True)
class Attente:
    """How long a demande waits for its first answer, against its target."""

    depuis: dt.timedelta
    cible: dt.timedelta

    @property
    def jours(self) -> int:
        return self.depuis.days

    @property
    def depassee(self) -> bool:
        return self.depuis > self.cible

    @property
    def texte(self) -> str:
        if self.jours == 0:
            return "Sans réponse depuis moins d’un jour"
        return f"Sans réponse depuis {self.jours} jour{'s' if self.jours > 1 else ''}"

    @property
    def cible_texte(self) -> str:
        return duree(self.cible)


def attente(demande: Demande, table: Cibles | None = None, now: dt.datetime | None = None) -> Attente | None:
    """None once the structure answered (or the demande left the structure's hands)."""
    if demande.answered_at is not None or demande.statut not in SANS_PREMIERE_REPONSE:
        return None
    now = now or timezone.now()
    return Attente(depuis=now - demande.sent_at, cible=cible(demande, table))


def with_attente(demandes, now=None) -> list[Demande]:
    """Set `.attente` on each demande (one query for the targets, whatever the number of demandes)."""
    demandes = list(demandes)
    table = cibles() if demandes else {}
    now = now or timezone.now()  # one instant for the whole list
    for demande in demandes:
        demande.attente = attente(demande, table, now)
    return demandes


def en_retard(table: Cibles, now: dt.datetime, facteur: int = 1) -> Q:
    """Demandes still without a first answer `facteur` × their target after sending."""
    late = Q(pk__in=[])
    for (domain, urgente), delay in table.items():
        late |= Q(domain=domain, urgente=urgente, sent_at__lte=now - facteur * delay)
    return Q(statut__in=SANS_PREMIERE_REPONSE, answered_at__isnull=True) & late


def retards(structure_id: int, now=None) -> dict[str, int]:
    """A structure's demandes without a first answer past their target, and past twice it (two queries)."""
    now = now or timezone.now()
    table = cibles()
    return Demande.objects.filter(en_retard(table, now), structure_id=structure_id).aggregate(
        en_retard=Count("id"), double=Count("id", filter=en_retard(table, now, 2))
    )


def delais_habituels(structure_ids, now=None) -> dict[int, dt.timedelta]:
    """Each structure's usual delay: the median of its first answers over the last DELAI_HABITUEL_JOURS days,
    only for structures with at least DELAI_HABITUEL_MIN_REPONSES answers. One query for all the structures.

    A median over three months moves slowly: each structure's is kept DELAI_HABITUEL_CACHE_SECONDS (1 h by
    default) in the shared cache, so a search page reads only the structures no recent page has shown (the
    query read every answered demande of ≈ 50 structures: ≈ 4 ms of SQL per search page on the national
    volume, docs/performance.md). `now` given (a past instant): computed, not cached."""
    ids = list(dict.fromkeys(structure_ids))
    timeout = int(getattr(settings, "DELAI_HABITUEL_CACHE_SECONDS", 3600))
    if now is not None or timeout <= 0:
        return _delais_habituels(ids, now or timezone.now())
    keys = {pk: f"demandes:delai_habituel:v1:{pk}" for pk in ids}
    cached = cache.get_many(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in cached]
    if missing:
        computed = _delais_habituels(missing, timezone.now())
        fresh = {keys[pk]: computed[pk].total_seconds() if pk in computed else UNKNOWN for pk in missing}
        cache.set_many(fresh, timeout)
        cached.update(fresh)
    seconds = {pk: cached[keys[pk]] for pk in ids}
    return {pk: dt.timedelta(seconds=value) for pk, value in seconds.items() if value != UNKNOWN}


UNKNOWN = -1.0  # cached for a structure with too few recent answers (a cache cannot tell a stored None apart)


def _delais_habituels(structure_ids: list[int], now: dt.datetime) -> dict[int, dt.timedelta]:
    rows = (
        Demande.objects.filter(
            structure_id__in=structure_ids,
            answered_at__isnull=False,
            answered_at__gte=now - dt.timedelta(days=settings.DELAI_HABITUEL_JOURS),
        )
        .annotate(delai=DELAI_PREMIERE_REPONSE)
        .values_list("structure_id", "delai")
    )
    delays: dict[int, list[dt.timedelta]] = {}
    for structure_id, delai in rows:
        delays.setdefault(structure_id, []).append(delai)
    minimum = settings.DELAI_HABITUEL_MIN_REPONSES
    return {pk: statistics.median(values) for pk, values in delays.items() if len(values) >= minimum}


def avec_delai_habituel(resultats) -> None:
    """Set `.delai_habituel` (« 6 heures », or "" when unknown) on search results (one query for the page)."""
    usual = delais_habituels({r.unite.structure_id for r in resultats})
    for resultat in resultats:
        delay = usual.get(resultat.unite.structure_id)
        resultat.delai_habituel = duree(delay) if delay is not None else ""
