"""The observatoire's aggregates: the same with or without the cache, kept per filter for the set time."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.observatoire.services import STATISTIQUES, Filtre, _key, statistiques, statistiques_cached

pytestmark = pytest.mark.django_db


def test_cached_per_filter_then_computed_again_by_the_worker(settings):
    """Past its period a kept value is shown once more while the task worker (immediate in the tests) computes the
    next; one refresh per filter and period; nothing kept after 4 periods: computed in the request."""
    settings.OBSERVATOIRE_CACHE_SECONDS = 900
    unite = UniteFactory(structure=StructureFactory(departement="01"))
    DemandeFactory(unite=unite, sent_at=timezone.now() - dt.timedelta(days=3))
    filtre = Filtre(departements=["01"])
    first = statistiques_cached(filtre)
    assert first.ensemble.total == statistiques(filtre).ensemble.total == 1
    DemandeFactory(unite=unite, sent_at=timezone.now() - dt.timedelta(days=2))
    assert statistiques_cached(Filtre(departements=["01"])).ensemble.total == 1  # kept
    assert statistiques_cached(Filtre(departements=["01"], domain="sanitaire")).ensemble.total == 0  # another filter
    key = _key(STATISTIQUES, filtre)
    cache.set(f"{key}:rafraichir", 1, 3600)  # another view placed the refresh already: this one only shows
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=901)):
        assert statistiques_cached(Filtre(departements=["01"])).ensemble.total == 1
        assert statistiques_cached(Filtre(departements=["01"])).ensemble.total == 1
        cache.delete(f"{key}:rafraichir")
        assert statistiques_cached(Filtre(departements=["01"])).ensemble.total == 1  # past its period: shown once
        assert statistiques_cached(Filtre(departements=["01"])).ensemble.total == 2  # the task computed it again
    DemandeFactory(unite=unite, sent_at=timezone.now() - dt.timedelta(days=1))
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=901 + 4 * 900 + 1)):  # 4 periods after the last
        assert statistiques_cached(Filtre(departements=["01"])).ensemble.total == 3  # nothing kept: computed


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


def test_late_structures_kept_per_filter_with_their_time(settings, client):
    """The list of structures past their target is kept OBSERVATOIRE_RETARD_CACHE_SECONDS per filter; the page
    gives the time of the list it shows."""
    from tests.factories.accounts import UserFactory
    from trajectoire.observatoire.services import structures_en_retard_cached

    settings.OBSERVATOIRE_RETARD_CACHE_SECONDS = 300
    unite = UniteFactory(structure=StructureFactory(departement="01", name="EHPAD Les Cèdres"))
    with time_machine.travel(dt.datetime(2026, 6, 2, 8, 5, tzinfo=dt.UTC), tick=False):
        filtre = Filtre(departements=["01"])  # its period ends today
        DemandeFactory(unite=unite, sent_at=timezone.now() - dt.timedelta(days=60))
        late, at = structures_en_retard_cached(filtre)
        assert [(s.nom, s.en_retard) for s in late] == [("EHPAD Les Cèdres", 1)]
        DemandeFactory(unite=unite, sent_at=timezone.now() - dt.timedelta(days=60))
        assert structures_en_retard_cached(Filtre(departements=["01"]))[0][0].en_retard == 1  # kept
        assert structures_en_retard_cached(Filtre(departements=["01"], domain="sanitaire"))[0] == []  # another filter
        client.force_login(UserFactory(is_observatoire=True, observatoire_departements="01", profession=""))
        page = client.get("/observatoire/").content.decode()
        assert "situation à 10 h 05" in page  # Paris time (UTC+2 in June)
    with time_machine.travel(dt.datetime(2026, 6, 2, 8, 10, 1, tzinfo=dt.UTC), tick=False):
        shown, shown_at = structures_en_retard_cached(filtre)  # past its period: shown with its time, once
        assert shown_at == at and shown[0].en_retard == 1
        late, later = structures_en_retard_cached(filtre)  # computed again by the worker meanwhile
        assert late[0].en_retard == 2 and later > at
