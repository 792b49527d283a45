"""statistiques() reads the period's demandes once and sums them in Python (docs/performance.md): every count,
median and refusal motif must equal what the database's own GROUP BY and the former per-table queries give."""

import random
import statistics
from datetime import timedelta

import pytest
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.demandes.enums import ADMISSION_STATUTS, MotifRefus, Statut
from trajectoire.directory.enums import StructureType
from trajectoire.observatoire.services import Filtre, demandes_of, statistiques

pytestmark = pytest.mark.django_db

COUNTS = {
    "total": Count("id"),
    "repondues": Count("id", filter=Q(answered_at__isnull=False)),
    "acceptees": Count("id", filter=Q(date_admission_proposee__isnull=False)),
    "refusees": Count("id", filter=Q(statut=Statut.REFUSEE)),
    "admissions": Count("id", filter=Q(statut__in=ADMISSION_STATUTS)),
}
FIELDS = tuple(COUNTS)


@pytest.fixture
def melange(db):
    """Demandes over 14 months, two départements, several categories, every kind of outcome; some sent near
    midnight on the last day of a month (local time decides their month)."""
    rng = random.Random(7)
    unites = [
        UniteFactory(structure=StructureFactory(departement=dep, structure_type=kind))
        for dep in ("69", "01")
        for kind in (StructureType.EHPAD, StructureType.SMR, StructureType.HAD)
    ]
    now = timezone.now()
    for i in range(90):
        sent = now - timedelta(days=rng.randint(1, 420), minutes=rng.randint(0, 1440))
        if i % 15 == 0:  # 23:30 local on the last day of a month: 21:30 or 22:30 UTC
            first = timezone.localtime(sent).replace(day=1, hour=23, minute=30) - timedelta(days=1)
            sent = first
        statut = rng.choice([Statut.ENVOYEE, Statut.REFUSEE, Statut.ACCEPTEE, Statut.ADMIS, Statut.ANNULEE])
        answered = sent + timedelta(hours=rng.randint(1, 300)) if statut != Statut.ENVOYEE else None
        fields = {}
        if statut in (Statut.ACCEPTEE, Statut.ADMIS):
            fields["date_admission_proposee"] = timezone.localdate(sent) + timedelta(days=rng.randint(1, 30))
        if statut == Statut.ADMIS:
            fields["date_entree"] = timezone.localdate(sent) + timedelta(days=rng.randint(1, 40))
        if statut == Statut.REFUSEE:
            fields["motif_refus"] = rng.choice([MotifRefus.PAS_DE_PLACE, MotifRefus.HORS_SECTEUR, MotifRefus.AUTRE])
        DemandeFactory(unite=rng.choice(unites), sent_at=sent, answered_at=answered, statut=statut, **fields)


def _expected(qs, key):
    rows = qs.values(key).annotate(**COUNTS).order_by(key)
    return {row[key]: tuple(row[f] for f in FIELDS) for row in rows}


def test_one_pass_equals_the_grouped_queries(melange):
    filtre = Filtre(departements=["01", "69"], depuis=timezone.localdate() - timedelta(days=500))
    stats = statistiques(filtre)
    qs = demandes_of(filtre)
    assert tuple(getattr(stats.ensemble, f) for f in FIELDS) == tuple(qs.aggregate(**COUNTS)[f] for f in FIELDS)
    for lines, key in ((stats.par_departement, "structure__departement"), (stats.par_domaine, "domain")):
        assert [tuple(getattr(line, f) for f in FIELDS) for line in lines] == list(_expected(qs, key).values())
    by_type = {line.label: tuple(getattr(line, f) for f in FIELDS) for line in stats.par_categorie}
    assert by_type == {StructureType(k).label: v for k, v in _expected(qs, "structure__structure_type").items()}
    months = _expected(qs.annotate(mois=TruncMonth("sent_at")), "mois")
    assert [line.label for line in stats.par_mois] == [date_format(m, "F Y") for m in months]
    assert [tuple(getattr(line, f) for f in FIELDS) for line in stats.par_mois] == list(months.values())
    delays = [(d.answered_at - d.sent_at).total_seconds() / 3600 for d in qs.filter(answered_at__isnull=False)]
    assert list(stats.ensemble.delais_reponse_h) == sorted(delays)
    assert stats.ensemble.delai_reponse_h == round(statistics.median(delays), 1)
    entries = [(d.date_entree - timezone.localdate(d.sent_at)).days for d in qs.filter(date_entree__isnull=False)]
    assert sorted(stats.ensemble.delais_admission_j) == sorted(entries)
    motifs = qs.filter(statut=Statut.REFUSEE).values("motif_refus").annotate(n=Count("id"))
    assert {m.label: m.n for m in stats.motifs_refus} == {MotifRefus(r["motif_refus"]).label: r["n"] for r in motifs}
    assert [m.n for m in stats.motifs_refus] == sorted((m.n for m in stats.motifs_refus), reverse=True)
