"""The public annuaire reuses a result list for the same criteria, and never after the directory changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.directory import annuaire_cache
from trajectoire.directory.importers.prix import import_prix_ehpad
from trajectoire.directory.services import update_free_places

from .test_views import ehpad  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
SEARCH = {"commune": "Bourg en Bresse (01000)", "radius_km": 30}


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.ANNUAIRE_CACHE_SECONDS = 60
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "annuaire"}}
    from django.core.cache import cache

    cache.clear()


def _search(client, params=SEARCH, **headers):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("directory:recherche"), params, headers=headers).content.decode()
    return html, [q["sql"] for q in queries.captured_queries if "directory_unite" in q["sql"]]


def _results(html: str) -> str:
    return html[html.index('id="resultats"') : html.index("</ol>")]


def test_same_criteria_same_list_without_searching_again(client, ehpad):  # noqa: F811
    first, searched = _search(client)
    assert "1 structure trouvée" in first and searched
    again, searched_again = _search(client)
    assert _results(again) == _results(first) and searched_again == []
    fragment, _ = _search(client, **{"HX-Request": "true"})  # htmx asks for the results block alone
    assert "<html" not in fragment and "1 structure trouvée" in fragment
    _, other = _search(client, {**SEARCH, "radius_km": 40})
    assert other, "other criteria: a search of their own"
    from django.core.cache import cache

    stored = [value for key, value in cache._cache.items() if ":annuaire:" in key and "version" not in key]
    assert len(stored) == 2 and all(b"EHPAD Les Tilleuls" not in value for value in stored)  # kept compressed


def test_a_change_in_the_directory_shows_at_once(client, ehpad, django_capture_on_commit_callbacks):  # noqa: F811
    _search(client)
    with django_capture_on_commit_callbacks(execute=True):
        update_free_places(ehpad.unites.get(), 0, source="referent")
    html, searched = _search(client)
    assert searched and "2 places" not in html
    with django_capture_on_commit_callbacks(execute=True):
        UniteFactory(structure=StructureFactory(name="EHPAD Les Glycines", latitude=46.2, longitude=5.22))
    html, searched = _search(client)
    assert searched and "EHPAD Les Glycines" in html and "2 structures trouvées" in html


def test_an_import_changes_the_version_even_when_it_fails(tmp_path, django_capture_on_commit_callbacks):
    before = annuaire_cache.version()
    with pytest.raises(FileNotFoundError), django_capture_on_commit_callbacks(execute=True):
        import_prix_ehpad(tmp_path / "absent.csv")
    assert annuaire_cache.version() == before + 1


def test_errors_are_not_kept(client, ehpad):  # noqa: F811
    bad = {"commune": "Atlantide", "radius_km": 30}
    html, _ = _search(client, bad)
    assert "Commune inconnue" in html
    from django.core.cache import cache

    assert cache.get(annuaire_cache.VERSION_KEY) is None or not any(
        key for key in cache._cache if "annuaire:" in key and "version" not in key
    )


def test_off_when_set_to_zero(client, ehpad, settings):  # noqa: F811
    settings.ANNUAIRE_CACHE_SECONDS = 0
    _search(client)
    _, searched = _search(client)
    assert searched
