"""Aggregated statistics of the demandes received by the structures of a territory (SPEC §7).

Aggregates only, never nominative: counts, rates and median delays per département, domain, structure
category, month and refusal motif. Statistical secrecy (`secret`): a count between 1 and `secret_below() - 1`
is shown as « < 5 », complementary cells are hidden so that no subtraction gives it back; a rate is published
only when neither its numerator nor its denominator is hidden, a median delay only over at least
`secret_below()` demandes. The territory is the observatoire's départements
(`User.observatoire_departements`); a demande belongs to the département of the structure that received it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from array import array
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from trajectoire.demandes import delais
from trajectoire.demandes.enums import ADMISSION_STATUTS, MotifRefus, Statut
from trajectoire.demandes.models import Demande
from trajectoire.directory.enums import Domain, StructureType

from .secret import Cellules, proteger, secret_below, shown

COUNT_FIELDS = ("total", "repondues", "acceptees", "refusees", "admissions")


def departements_of(user) -> list[str]:
    return sorted({code.strip() for code in (user.observatoire_departements or "").split(",") if code.strip()})


@dataclass
class Filtre:
    departements: list[str]
    domain: str = ""
    depuis: dt.date | None = None
    jusqua: dt.date | None = None

    def __post_init__(self):
        today = timezone.localdate()
        self.jusqua = self.jusqua or today
        self.depuis = self.depuis or (self.jusqua - dt.timedelta(days=365))


@dataclass
class Ligne(Cellules):
    """One group of demandes: volumes, rates and median delays."""

    COUNTS = COUNT_FIELDS
    label: str
    total: int = 0
    repondues: int = 0
    acceptees: int = 0
    refusees: int = 0
    admissions: int = 0
    delais_reponse_h: list[float] = field(default_factory=list, repr=False)
    delais_admission_j: list[float] = field(default_factory=list, repr=False)
    masques: set[str] = field(default_factory=set, repr=False)  # cells hidden by complementary suppression

    @property
    def total_visible(self) -> int:
        return self.valeur("total") or 0

    @property
    def secret(self) -> bool:
        return 0 < self.total < secret_below()

    def _rate(self, part: str, whole: str) -> float | None:
        # A rate would give a hidden count back (part = rate × whole): published only when both are.
        if self.secret or getattr(self, whole) < secret_below() or self.masque(part) or self.masque(whole):
            return None
        return round(100 * getattr(self, part) / getattr(self, whole), 1)

    @property
    def taux_acceptation(self) -> float | None:
        """Accepted (a place was proposed) among the demandes answered."""
        return self._rate("acceptees", "repondues")

    @property
    def taux_refus(self) -> float | None:
        return self._rate("refusees", "repondues")

    @property
    def delai_reponse_h(self) -> float | None:
        """Median hours from sending to the structure's first answer."""
        if self.secret or len(self.delais_reponse_h) < secret_below():
            return None
        return round(median(self.delais_reponse_h), 1)

    @property
    def delai_admission_j(self) -> float | None:
        """Median days from sending to the entry of admitted patients."""
        if self.secret or len(self.delais_admission_j) < secret_below():
            return None
        return round(median(self.delais_admission_j), 1)


@dataclass
class Effectif(Cellules):
    """One count of a one-column table (refusals of a motif, demandes of a delay class)."""

    COUNTS = ("n",)
    label: str
    n: int
    masques: set[str] = field(default_factory=set, repr=False)


@dataclass
class Statistiques:
    filtre: Filtre
    ensemble: Ligne
    par_departement: list[Ligne]
    par_domaine: list[Ligne]
    par_categorie: list[Ligne]
    par_mois: list[Ligne]
    motifs_refus: list[Effectif]


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def demandes_of(filtre: Filtre):
    # Local days as a range of instants (same demandes as `sent_at__date`), which the sent_at index can serve.
    qs = Demande.objects.filter(
        structure__departement__in=filtre.departements,
        sent_at__gte=_local_midnight(filtre.depuis),
        sent_at__lt=_local_midnight(filtre.jusqua + dt.timedelta(days=1)),
    )
    return qs.filter(domain=filtre.domain) if filtre.domain else qs


def statistiques_cached(filtre: Filtre) -> Statistiques:
    """statistiques(), kept OBSERVATOIRE_CACHE_SECONDS (15 min by default) per filter in the shared cache.

    On the national volume one département's year is ≈ 33,000 demandes: the seven aggregate queries took
    ≈ 7 s per view (docs/performance.md). Aggregates only (no nominative data) are cached; 0 disables it.
    """
    return _cached(STATISTIQUES, filtre)


def structures_en_retard_cached(filtre: Filtre) -> tuple[list[StructureEnRetard], dt.datetime]:
    """structures_en_retard() and the instant it was computed, kept OBSERVATOIRE_RETARD_CACHE_SECONDS (5 min by
    default) per filter: on the national volume the query reads every demande still without an answer (≈ 0.4 s
    of SQL for one département, docs/performance.md); the page says the time of the list it shows."""
    return _cached(EN_RETARD, filtre)


STATISTIQUES, EN_RETARD = "statistiques:v3", "en_retard:v2"  # v3/v2: kept with their instant (stale while revalidate)
KINDS = {  # what is kept, for how long (setting, default seconds), how it is computed
    STATISTIQUES: ("OBSERVATOIRE_CACHE_SECONDS", 900, lambda filtre: statistiques(filtre)),
    EN_RETARD: ("OBSERVATOIRE_RETARD_CACHE_SECONDS", 300, lambda filtre: _en_retard_now(filtre)),
}
STALE_PERIODS = 4  # a kept value is shown up to this many periods old, while the worker computes the next one


def _cached(kind: str, filtre: Filtre):
    """Stale while revalidate: past its period a kept value is still shown, once, and the task worker computes
    the next one (`tasks.rafraichir`, one per filter and period): a view never waits for the aggregate again
    (≈ 1–3 s of SQL on the national volume, the p95 of every page while it runs). Computed in the request only
    when nothing is kept (first view, or no view for STALE_PERIODS periods)."""
    timeout = _timeout(kind)
    if timeout <= 0:
        return KINDS[kind][2](filtre)
    key = _key(kind, filtre)
    entry = cache.get(key)
    if entry is None:
        return store(kind, filtre)
    computed_at, value = entry
    if timezone.now().timestamp() - computed_at > timeout and cache.add(f"{key}:rafraichir", 1, timeout):
        from .tasks import rafraichir

        rafraichir.enqueue(kind, filtre.departements, filtre.domain, filtre.depuis.isoformat(),
                           filtre.jusqua.isoformat())  # fmt: skip
    return value


def _en_retard_now(filtre: Filtre) -> tuple[list[StructureEnRetard], dt.datetime]:
    return structures_en_retard(filtre), timezone.now()


def store(kind: str, filtre: Filtre):
    """Compute and keep (with its instant) for STALE_PERIODS periods; the refresh lock is released."""
    value, key = KINDS[kind][2](filtre), _key(kind, filtre)
    cache.set(key, (timezone.now().timestamp(), value), _timeout(kind) * STALE_PERIODS)
    cache.delete(f"{key}:rafraichir")
    return value


def _timeout(kind: str) -> int:
    """The period of a kind of aggregate (its setting, KINDS' default when unset); 0 or less: not kept."""
    name, default, _ = KINDS[kind]
    return int(getattr(settings, name, default))


def _key(kind: str, filtre: Filtre) -> str:
    parts = [",".join(sorted(filtre.departements)), filtre.domain, filtre.depuis, filtre.jusqua, secret_below()]
    return f"observatoire:{kind}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _label(choices, value) -> str:
    return choices(value).label if value in choices.values else (value or "Non renseigné")


KEYS = ("structure__departement", "domain", "structure__structure_type")
GROUPS = (*KEYS, "mois")
LABELS = {
    "structure__departement": lambda v: f"Département {v}",
    "domain": lambda v: _label(Domain, v),
    "structure__structure_type": lambda v: _label(StructureType, v),
    "mois": lambda v: date_format(dt.date(*v, 1), "F Y"),  # (year, month) of sending, local time
}


def statistiques(filtre: Filtre) -> Statistiques:
    """One pass over the period's demandes: every count, delay and refusal motif of every table.

    On the national volume each of the former seven aggregate queries scanned the demandes table (≈ 1.2 s
    each for two départements' year); one query reading the few columns needed, summed here, costs one scan
    (docs/performance.md). Delays are kept sorted (`array`), so medians and the delay classes are read from
    them without sorting again at each view of the cached result.
    """
    # Numbers computed by the database (month in local time, delays as intervals): converting two timestamps
    # and a truncated month per row in Python cost more than the scan itself (docs/performance.md).
    rows = (
        demandes_of(filtre)
        .annotate(
            annee=ExtractYear("sent_at"),
            mois_n=ExtractMonth("sent_at"),
            reponse=delais.DELAI_PREMIERE_REPONSE,
            admission=ExpressionWrapper(F("date_entree") - TruncDate("sent_at"), output_field=DurationField()),
        )
        .values_list(
            *KEYS, "annee", "mois_n", "reponse", "admission", "statut", "date_admission_proposee", "motif_refus"
        )
        .order_by()
    )
    ensemble = Ligne(label="Ensemble du territoire")
    groups: dict[str, dict] = {name: {} for name in GROUPS}
    motifs: dict[str, int] = {}
    admission_statuts = set(ADMISSION_STATUTS)
    for *keys, annee, mois_n, reponse, admission, statut, proposee, motif in rows:
        lines = [ensemble]
        for name, value in zip(GROUPS, (*keys, (int(annee), int(mois_n))), strict=True):
            line = groups[name].get(value)
            if line is None:
                line = groups[name][value] = Ligne(label=LABELS[name](value))
            lines.append(line)
        reponse_h = reponse.total_seconds() / 3600 if reponse is not None else None
        admission_j = admission.days if admission is not None else None
        for line in lines:
            line.total += 1
            if reponse_h is not None:
                line.repondues += 1
                line.delais_reponse_h.append(reponse_h)
            if proposee is not None:
                line.acceptees += 1
            if statut == Statut.REFUSEE:
                line.refusees += 1
            elif statut in admission_statuts:
                line.admissions += 1
            if admission_j is not None:
                line.delais_admission_j.append(admission_j)
        if statut == Statut.REFUSEE:
            motifs[motif] = motifs.get(motif, 0) + 1
    for line in (ensemble, *(line for table in groups.values() for line in table.values())):
        line.delais_reponse_h = array("d", sorted(line.delais_reponse_h))
        line.delais_admission_j = array("d", sorted(line.delais_admission_j))
    tables = {name: [table[key] for key in sorted(table, key=_null_last)] for name, table in groups.items()}
    stats = Statistiques(
        filtre=filtre,
        ensemble=ensemble,
        par_departement=tables["structure__departement"],
        par_domaine=tables["domain"],
        par_categorie=sorted(tables["structure__structure_type"], key=lambda line: -line.total),
        par_mois=tables["mois"],
        motifs_refus=[
            Effectif(label=_label(MotifRefus, motif), n=n) for motif, n in sorted(motifs.items(), key=lambda kv: -kv[1])
        ],
    )
    for table in (stats.par_departement, stats.par_domaine, stats.par_categorie, stats.par_mois):
        proteger(table, ensemble, COUNT_FIELDS)
    proteger(stats.motifs_refus, Effectif("Refus", ensemble.refusees), ["n"])
    return stats


def _null_last(value):
    """Group order of the former `ORDER BY key` on PostgreSQL: ascending, an empty key last."""
    return (value is None, value if value is not None else "")


def median(values) -> float:
    """statistics.median, without sorting again when the values are already sorted (an `array` here)."""
    if not isinstance(values, array):
        return statistics.median(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


CSV_COLUMNS = [
    ("Regroupement", lambda line: line.label),
    ("Demandes reçues", lambda line: line.publie("total")),
    ("Demandes ayant reçu une réponse", lambda line: line.publie("repondues")),
    ("Places proposées", lambda line: line.publie("acceptees")),
    ("Refus", lambda line: line.publie("refusees")),
    ("Admissions", lambda line: line.publie("admissions")),
    ("Taux d’acceptation (%)", lambda line: french_decimal(line.taux_acceptation)),
    ("Taux de refus (%)", lambda line: french_decimal(line.taux_refus)),
    ("Délai médian de première réponse (heures)", lambda line: french_decimal(line.delai_reponse_h)),
    ("Délai médian jusqu’à l’entrée (jours)", lambda line: french_decimal(line.delai_admission_j)),
]


def french_decimal(value: float | None, unit: str = "", missing: str = "") -> str:
    """One decimal, decimal comma (page and CSV); `missing` when the figure is not published."""
    return missing if value is None else f"{value:.1f}".replace(".", ",") + unit


def csv_rows(stats: Statistiques):
    """Rows of the CSV export (French decimal comma; the same secrecy as the page)."""
    yield ["Section", *(name for name, _ in CSV_COLUMNS)]
    sections = [
        ("Ensemble", [stats.ensemble]),
        ("Département", stats.par_departement),
        ("Domaine", stats.par_domaine),
        ("Catégorie de structure", stats.par_categorie),
        ("Mois d’envoi", stats.par_mois),
    ]
    for section, lines in sections:
        for line in lines:
            yield [section, *(value(line) for _, value in CSV_COLUMNS)]
    for motif in stats.motifs_refus:
        yield ["Motif de refus", motif.label, motif.publie("n"), *[""] * (len(CSV_COLUMNS) - 2)]


@dataclass
class StructureEnRetard:
    """A structure of the territory with demandes still without a first answer past their target (now)."""

    nom: str
    departement: str
    en_retard: int
    signalees: int  # past twice the target: its référent was told

    @property
    def publies(self) -> dict[str, str]:
        return {"en_retard": shown(self.en_retard), "signalees": shown(self.signalees)}


def structures_en_retard(filtre: Filtre, now=None, limit: int = 50) -> list[StructureEnRetard]:
    """Structures over their response-time target today, most late demandes first (two queries)."""
    now = now or timezone.now()
    table = delais.cibles()
    qs = Demande.objects.filter(delais.en_retard(table, now), structure__departement__in=filtre.departements)
    if filtre.domain:
        qs = qs.filter(domain=filtre.domain)
    rows = (
        qs.values("structure_id", "structure__name", "structure__departement")
        .annotate(n=Count("id"), signalees=Count("id", filter=delais.en_retard(table, now, 2)))
        .order_by("-n", "structure__name")[:limit]
    )
    return [
        StructureEnRetard(row["structure__name"], row["structure__departement"], row["n"], row["signalees"])
        for row in rows
    ]
