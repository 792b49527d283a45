"""The requests found answering HTTP 500 from outside: each is now a 404 or a French message.

The generic suite (tests/fuzz) tries every pattern; these pin the cases that were seen failing.
"""

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.demandes import ReadyDossierFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.factories.usagers import FamilleFactory, FamilyDossierFactory
from trajectoire.core.parsing import parse_decimal, parse_float, parse_id, parse_ids, safe_next

pytestmark = pytest.mark.django_db
HUGE = "9223372036854775808"
ID23 = "1" * 23


@pytest.mark.parametrize("value", ["²", "٣", "-1", "0", HUGE, ID23, "1.0", " 1", "", None, "１"])
def test_parse_id_refuses_what_the_database_cannot_hold(value):
    assert parse_id(value) is None


def test_parse_ids_keeps_the_valid_ones():
    assert parse_ids(["3", "²", "3", HUGE, "7"]) == [3, 7]


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1e400", "abc", "", None])
def test_parse_numbers_refuse_non_finite_values(value):
    assert parse_decimal(value) is None
    assert parse_float(value) is None


def test_safe_next_keeps_the_site(rf):
    request = rf.post("/notifications/lire/")
    assert safe_next(request, "https://evil.example/", "/ici/") == "/ici/"
    assert safe_next(request, "//evil.example", "/ici/") == "/ici/"
    assert safe_next(request, "/demandes/", "/ici/") == "/demandes/"
    assert safe_next(request, "²", "/ici/") == "/ici/"  # not a path: redirect() would take it for a view name


@pytest.fixture
def medecin():
    return UserFactory(medecin=True)


@pytest.fixture
def dossier(medecin):
    return ReadyDossierFactory(created_by=medecin, medecin=medecin, patient__created_by=medecin)


@pytest.mark.parametrize("budget", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_search_page_with_a_non_finite_budget(client, medecin, dossier, budget):
    client.force_login(medecin)
    response = client.get(f"/demandes/dossier/{dossier.pk}/envoyer/", {"budget": budget, "rayon": "NaN"})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "٣", HUGE, ID23])
def test_send_routes_with_hostile_unit_ids(client, medecin, dossier, value):
    UniteFactory(structure=StructureFactory())
    client.force_login(medecin)
    response = client.post(f"/demandes/dossier/{dossier.pk}/envoyer/", {"unites": [value]})
    assert response.status_code == 200
    assert "Sélectionnez au moins une structure" in response.content.decode()
    famille = FamilleFactory()
    family_dossier = FamilyDossierFactory(created_by=famille, patient__created_by=famille)
    client.force_login(famille)
    response = client.post(f"/usager/dossier/{family_dossier.pk}/etablissements/", {"unites": [value]})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", ID23, HUGE])
def test_dossier_list_with_a_hostile_patient_id(client, medecin, dossier, value):
    client.force_login(medecin)
    assert client.get("/dossiers/", {"patient": value}).status_code == 200


@pytest.mark.parametrize("path", [f"/demandes/structure/{HUGE}/", f"/demandes/{ID23}/", f"/dossiers/{HUGE}/"])
def test_ids_the_database_cannot_hold_are_not_found(client, medecin, path):
    client.force_login(medecin)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("value", ["abc", "²", ID23, "-Infinity"])
def test_family_medecin_page_with_a_hostile_id(client, value):
    famille = FamilleFactory()
    dossier = FamilyDossierFactory(created_by=famille, patient__created_by=famille)
    client.force_login(famille)
    response = client.post(f"/usager/dossier/{dossier.pk}/medecin/", {"medecin": value})
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/observatoire/", "/observatoire/export.csv"])
@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_observatoire_with_extreme_dates(client, path, date):
    user = UserFactory(is_observatoire=True, observatoire_departements="01")
    client.force_login(user)
    response = client.get(path, {"jusqua": date})
    assert response.status_code == 200
    assert "Choisissez une date entre 1900 et 2100." in response.content.decode()


def test_mark_read_does_not_follow_another_site(client, medecin):
    client.force_login(medecin)
    response = client.post("/notifications/lire/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"


@pytest.mark.parametrize("uid", ["MTExMTExMTExMTExMTExMTExMTExMTEx", "wrI", "%%%"])  # 23 digits, « ² », junk
def test_password_reset_link_with_a_hostile_uid(client, uid):
    assert client.get(f"/usager/mot-de-passe/{uid}/jeton/").status_code in (200, 302, 404)


def test_a_draft_with_nul_characters_is_kept_without_them(client):
    """PostgreSQL refuses NUL in text and JSON: the autosaved draft keeps the rest (found by tests/fuzz)."""
    famille = FamilleFactory()
    dossier = FamilyDossierFactory(created_by=famille, patient__created_by=famille)
    client.force_login(famille)
    response = client.post(f"/usager/dossier/{dossier.pk}/administratif/", {"situation_familiale": "veu\x00ve"})
    assert response.status_code in (200, 302)
    assert dossier.sections.get(key="administratif").data["situation_familiale"] == "veuve"
