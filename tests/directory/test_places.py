"""Free places: one door (référent, ROR import, structure software), dated and sourced; the search trusts
only fresh figures (FREE_PLACES_MAX_AGE_DAYS) and ranks fresh availability first."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories.directory import CommuneFactory, StructureFactory, UniteFactory
from trajectoire.audit.models import AuditEvent
from trajectoire.directory.search import Criteres, search
from trajectoire.directory.services import FreePlacesError, update_free_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon():
    return CommuneFactory(insee="69381", name="Lyon 01", postal_codes="69001", departement="69",
                          latitude=45.7699, longitude=4.8292)  # fmt: skip


def unit(name, lat, lon, **fields):
    return UniteFactory(structure=StructureFactory(name=name, latitude=lat, longitude=lon), **fields)


def test_update_stores_value_source_and_date_and_is_traced():
    unite = unit("EHPAD A", 46.2, 5.2, free_places=None, capacity=10)
    at = timezone.now() - timedelta(hours=2)
    stored = update_free_places(unite, 4, source="ror", at=at)
    assert (stored.free_places, unite.free_places) == (4, 4)
    unite.refresh_from_db()
    assert (unite.free_places, unite.free_places_source, unite.free_places_declared_at) == (4, "ror", at)
    event = AuditEvent.objects.get(object_type="directory.unite", object_id=str(unite.pk))
    assert event.details == {"free_places": 4, "source": "ror"}


def test_an_older_declaration_does_not_overwrite_a_newer_one():
    unite = unit("EHPAD A", 46.2, 5.2, free_places=None, capacity=10)
    update_free_places(unite, 3, source="referent")
    stored = update_free_places(unite, 9, source="ror", at=timezone.now() - timedelta(days=1))
    assert (stored.free_places, stored.free_places_source) == (3, "referent")
    unite.refresh_from_db()
    assert (unite.free_places, unite.free_places_source) == (3, "referent")


@pytest.mark.parametrize(
    ("places", "source", "message"),
    [
        (-1, "referent", "entier positif ou nul"),
        ("3", "api", r"entier positif ou nul \(reçu « 3 »\)"),
        (11, "api", r"ne peuvent pas dépasser la capacité \(10\)"),
        (1, "fax", "Source de places inconnue"),
    ],
)
def test_bad_values_are_refused_in_french(places, source, message):
    unite = unit("EHPAD A", 46.2, 5.2, free_places=2, capacity=10)
    with pytest.raises(FreePlacesError, match=message):
        update_free_places(unite, places, source=source)
    unite.refresh_from_db()
    assert unite.free_places == 2


def test_search_shows_the_age_and_treats_out_of_date_places_as_unknown(lyon, settings):
    settings.FREE_PLACES_MAX_AGE_DAYS = 7
    near_stale = unit("Proche, places anciennes", 45.77, 4.83, free_places=None)
    far_fresh = unit("Plus loin, places fraîches", 45.90, 4.83, free_places=None)
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        update_free_places(near_stale, 5, source="referent")
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        update_free_places(far_fresh, 2, source="ror")
    result = search(Criteres(structure_type="ehpad", insee="69381", radius_km=30))
    assert [r.unite for r in result.resultats] == [far_fresh, near_stale]  # fresh availability first
    assert "2 places, mis à jour il y a 3 jours" in result.resultats[0].matched
    assert result.resultats[1].places is None and not any("place" in m for m in result.resultats[1].matched)
    assert result.to_dict()["resultats"][1]["places_disponibles"] is None
    only_free = search(Criteres(structure_type="ehpad", insee="69381", radius_km=30, free_places_only=True))
    assert [r.unite for r in only_free.resultats] == [far_fresh]
    assert only_free.exclus[0].reasons == ["Places disponibles non confirmées (déclarées il y a 10 jours)"]
    settings.FREE_PLACES_MAX_AGE_DAYS = 15
    assert search(Criteres(structure_type="ehpad", insee="69381", radius_km=30)).resultats[0].unite == near_stale


def test_structure_page_says_who_declared_the_places_and_when(client):
    unite = unit("EHPAD A", 46.2, 5.2, free_places=None)
    update_free_places(unite, 4, source="ror", at=timezone.make_aware(datetime(2026, 11, 27, 9, 30)))
    html = client.get(f"/annuaire/structures/{unite.structure.finess}/").content.decode()
    assert "<strong>4</strong> (déclarées le 27/11/2026 à 09:30 par import ROR)" in html
