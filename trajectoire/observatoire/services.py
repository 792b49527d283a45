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
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
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
        return round(statistics.median(self.delais_reponse_h), 1)

    @property
    def delai_admission_j(self) -> float | None:
        """Median days from sending to the entry of admitted patients."""
        if self.secret or len(self.delais_admission_j) < secret_below():
            return None
        return round(statistics.median(self.delais_admission_j), 1)


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
    timeout = int(getattr(settings, "OBSERVATOIRE_CACHE_SECONDS", 900))
    if timeout <= 0:
        return statistiques(filtre)
    parts = [",".join(sorted(filtre.departements)), filtre.domain, filtre.depuis, filtre.jusqua, secret_below()]
    key = "observatoire:statistiques:v1:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    stats = cache.get(key)
    if stats is None:
        stats = statistiques(filtre)
        cache.set(key, stats, timeout)
    return stats


COUNTS = {
    "total": Count("id"),
    "repondues": Count("id", filter=Q(answered_at__isnull=False)),
    "acceptees": Count("id", filter=Q(date_admission_proposee__isnull=False)),
    "refusees": Count("id", filter=Q(statut=Statut.REFUSEE)),
    "admissions": Count("id", filter=Q(statut__in=ADMISSION_STATUTS)),
}


def _label(choices, value) -> str:
    return choices(value).label if value in choices.values else (value or "Non renseigné")


def _grouped(qs, key: str, labels) -> dict:
    lines: dict = {}
    for row in qs.values(key).annotate(**COUNTS).order_by(key):
        value = row.pop(key)
        lines[value] = Ligne(label=labels(value), **row)
    return lines


def statistiques(filtre: Filtre) -> Statistiques:
    """Five grouped count queries, one query for the delays, one for the refusal motifs."""
    qs = demandes_of(filtre)
    ensemble = Ligne(label="Ensemble du territoire", **qs.aggregate(**COUNTS))
    groups = {
        "structure__departement": _grouped(qs, "structure__departement", lambda v: f"Département {v}"),
        "domain": _grouped(qs, "domain", lambda v: _label(Domain, v)),
        "structure__structure_type": _grouped(qs, "structure__structure_type", lambda v: _label(StructureType, v)),
        "mois": _grouped(qs.annotate(mois=TruncMonth("sent_at")), "mois", lambda v: date_format(v, "F Y")),
    }
    _add_delays(qs, ensemble, groups)
    motifs = [
        Effectif(label=_label(MotifRefus, row["motif_refus"]), n=row["n"])
        for row in qs.filter(statut=Statut.REFUSEE).values("motif_refus").annotate(n=Count("id")).order_by("-n")
    ]
    stats = Statistiques(
        filtre=filtre,
        ensemble=ensemble,
        par_departement=list(groups["structure__departement"].values()),
        par_domaine=list(groups["domain"].values()),
        par_categorie=sorted(groups["structure__structure_type"].values(), key=lambda line: -line.total),
        par_mois=list(groups["mois"].values()),
        motifs_refus=motifs,
    )
    for table in (stats.par_departement, stats.par_domaine, stats.par_categorie, stats.par_mois):
        proteger(table, ensemble, COUNT_FIELDS)
    proteger(motifs, Effectif("Refus", ensemble.refusees), ["n"])
    return stats


def _add_delays(qs, ensemble: Ligne, groups: dict) -> None:
    rows = qs.filter(Q(answered_at__isnull=False) | Q(date_entree__isnull=False)).annotate(
        mois=TruncMonth("sent_at")
    ).values_list("sent_at", "answered_at", "date_entree", *groups)  # fmt: skip
    for sent_at, answered_at, date_entree, *keys in rows:
        targets = [ensemble, *(groups[name].get(value) for name, value in zip(groups, keys, strict=True))]
        for line in filter(None, targets):
            if answered_at is not None:
                line.delais_reponse_h.append((answered_at - sent_at).total_seconds() / 3600)
            if date_entree is not None:
                line.delais_admission_j.append((date_entree - timezone.localdate(sent_at)).days)


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
