import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories.directory import CommuneFactory, PrixEhpadFactory, StructureFactory, UniteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ehpad():
    CommuneFactory(insee="01053", name="Bourg en Bresse", postal_codes="01000", latitude=46.2052, longitude=5.2460)
    structure = StructureFactory(finess="010002228", name="EHPAD Les Tilleuls", phone="04 74 00 00 00",
                                 address="12 R DES TILLEULS", latitude=46.21, longitude=5.23)  # fmt: skip
    UniteFactory(structure=structure, capabilities=["troubles_cognitifs"], free_places=2)
    PrixEhpadFactory(finess=structure.finess, heb_perm_seule=Decimal("70"))
    return structure


def test_public_search_page_without_login(client, ehpad):
    page = client.get(reverse("directory:recherche"))
    assert page.status_code == 200
    assert "Indiquez une commune" in page.content.decode()
    page = client.get(reverse("directory:recherche"), {"commune": "Bourg en Bresse (01000)", "radius_km": 30})
    html = page.content.decode()
    assert "1 structure trouvée" in html and "EHPAD Les Tilleuls" in html
    assert "2 places, mis à jour aujourd’hui" in html
    assert re.search(r"2\s?296 €", html)
    assert 'aria-live="polite"' in html


def test_htmx_returns_only_results_and_bad_input_is_explained(client, ehpad):
    page = client.get(reverse("directory:recherche"), {"commune": "Atlantide", "radius_km": 10000},
                      headers={"HX-Request": "true"})  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 200 and "<html" not in html
    assert "Commune inconnue : « Atlantide »" in html
    assert "au plus de 1000 km" in html


def test_json_endpoint(client, ehpad):
    criteria = {"commune": "01000", "structure_type": "ehpad", "capabilities": "troubles_cognitifs", "gir": 2}
    data = client.get(reverse("directory:api_recherche"), criteria).json()
    assert data["total"] == 1
    result = data["resultats"][0]
    assert result["finess"] == "010002228" and result["prix_mensuel_avant_aides"] == 2296
    assert "Prend en charge : Troubles cognitifs (maladie d'Alzheimer ou apparentée)" in result["explications"]
    bad = client.get(reverse("directory:api_recherche"), {"commune": "01000", "capabilities": "vol_plane"})
    assert bad.status_code == 400
    assert bad.json()["erreurs"]["capabilities"] == ["Prise en charge inconnue du thésaurus : vol_plane."]
    assert client.get(reverse("directory:api_recherche"), {"commune": "01000", "radius_km": 0}).status_code == 400


def test_commune_autocomplete_json_and_htmx(client, ehpad):
    data = client.get(reverse("directory:communes"), {"q": "bourg-en"}).json()
    assert data["communes"][0]["insee"] == "01053"
    html = client.get(reverse("directory:communes"), {"commune": "01000"}, headers={"HX-Request": "true"})
    assert '<option value="Bourg en Bresse (01000)">' in html.content.decode()


def test_structure_page_shows_units_prices_and_monthly_cost(client, ehpad):
    html = client.get(reverse("directory:structure", args=["010002228"])).content.decode()
    assert "12 R DES TILLEULS" in html and "04 74 00 00 00" in html
    assert "Troubles cognitifs" in html
    assert "GIR 5-6" in html
    assert re.search(r"2\s?296 €", html)
    assert client.get(reverse("directory:structure", args=["000000000"])).status_code == 404


def test_structure_page_shows_one_honest_monthly_price(client, ehpad):
    """Issue 15: not a « reste à charge », not per GIR, no « dont APA » column; the aids and the price year."""
    page = client.get(reverse("directory:structure", args=["010002228"])).text
    assert "Prix mensuel (hébergement + tarif dépendance GIR 5-6), avant aides : 2296 €" in page
    assert "l’APA dépend des revenus de la personne" in page and "aide au logement (APL ou ALS)" in page
    for wrong in ("Reste à charge", "reste à charge", "dont pris en charge par l’APA", "tient compte de l’évaluation"):
        assert wrong not in page
