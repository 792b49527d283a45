"""The observatoire's aggregates: the same with or without the cache, kept per filter for the set time."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.observatoire.services import Filtre, statistiques, statistiques_cached

pytestmark = pytest.mark.django_db


def test_cached_per_filter_until_it_expires(settings):
    settings.OBSERVATOIRE_CACHE_SECONDS = 900
    unite = UniteFactory(structure=StructureFactory(departement="01"))
    DemandeFactory(unite=unite, sent_at=timezone.now() - dt.timedelta(days=3))
    filtre = Filtre(departements=["01"])
    first = statistiques_cached(filtre)
    assert first.ensemble.total == statistiques(filtre).ensemble.total == 1
    DemandeFactory(unite=unite, sent_at=timezone.now() - dt.timedelta(days=2))
    assert statistiques_cached(Filtre(departements=["01"])).ensemble.total == 1  # kept
    assert statistiques_cached(Filtre(departements=["01"], domain="sanitaire")).ensemble.total == 0  # another filter
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=901)):
        assert statistiques_cached(Filtre(departements=["01"])).ensemble.total == 2  # expired: recomputed


def test_local_days_bound_the_period(settings):
    """A demande sent at 23:30 local time on the last day is in; one at 00:10 the next local day is out."""
    unite = UniteFactory(structure=StructureFactory(departement="01"))
    paris = timezone.get_current_timezone()
    last = dt.date(2026, 6, 30)
    DemandeFactory(unite=unite, sent_at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=paris))
    DemandeFactory(unite=unite, sent_at=dt.datetime(2026, 7, 1, 0, 10, tzinfo=paris))
    DemandeFactory(unite=unite, sent_at=dt.datetime(2026, 6, 1, 0, 5, tzinfo=paris))
    DemandeFactory(unite=unite, sent_at=dt.datetime(2026, 5, 31, 23, 55, tzinfo=paris))
    stats = statistiques(Filtre(departements=["01"], depuis=dt.date(2026, 6, 1), jusqua=last))
    assert stats.ensemble.total == 2
