"""Open aggregates: a stable public address per département and complete month, CSV and JSON, a Table Schema,
the same secrecy as the observatoire, nothing nominative."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine

from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.demandes.enums import MotifRefus, Statut
from trajectoire.demandes.models import Demande
from trajectoire.directory.enums import Domain

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
MAY = dt.datetime(2026, 5, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def mai(db):
    units = {d: UniteFactory(structure=StructureFactory(departement="69", name=f"Unité {d}"), domain=d) for d in Domain}
    for domain, count in {Domain.GRAND_AGE: 7, Domain.SANITAIRE: 6, Domain.TND: 2}.items():
        for _ in range(count):
            DemandeFactory(unite=units[domain], dossier__domain=domain, domain=domain, sent_at=MAY,
                           answered_at=MAY + dt.timedelta(hours=30), statut=Statut.REFUSEE,
                           motif_refus=MotifRefus.PAS_DE_PLACE)  # fmt: skip
    DemandeFactory(unite=units[Domain.GRAND_AGE], sent_at=MAY - dt.timedelta(days=20))  # April: not counted


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_csv_of_a_departement_and_month_is_public_and_protected(client, mai):
    with time_machine.travel(TODAY, tick=False):
        response, rows = _csv(client, "/observatoire/donnees/69/2026-05.csv")  # no login
    assert response["Content-Type"].startswith("text/csv") and response["Access-Control-Allow-Origin"] == "*"
    assert 'rel="describedby"' in response["Link"]
    ensemble = rows[0]
    assert (ensemble["section"], ensemble["territoire"], ensemble["mois"]) == ("Ensemble", "69", "2026-05")
    assert ensemble["demandes_recues"] == "15" and ensemble["refus"] == "15" and ensemble["taux_refus"] == "100.0"
    domaines = {row["regroupement"]: row["demandes_recues"] for row in rows if row["section"] == "Domaine"}
    assert domaines == {"Grand Âge": "7", "Sanitaire (suites de soins)": "secret",
                        "Troubles du neuro-développement": "< 5"}  # fmt: skip
    delais = {
        row["regroupement"]: row["demandes_recues"] for row in rows if row["section"] == "Délai de première réponse"
    }
    assert delais["1 à 2 jours"] == "15" and delais["Pas encore de réponse"] == "0"
    text = response.content.decode()
    for demande in Demande.objects.select_related("dossier__patient"):
        assert demande.dossier.patient.nom_naissance not in text
    assert "Unité" not in text  # no structure either: domains, categories, motifs only


def test_json_gives_the_same_rows(client, mai):
    with time_machine.travel(TODAY, tick=False):
        _, rows = _csv(client, "/observatoire/donnees/69/2026-05.csv")
        data = client.get("/observatoire/donnees/69/2026-05.json").json()
    assert data["territoire"] == "69" and data["mois"] == "2026-05" and data["schema"].endswith("/donnees/schema.json")
    assert len(data["lignes"]) == len(rows)
    tnd = next(row for row in data["lignes"] if row["regroupement"] == "Troubles du neuro-développement")
    assert tnd["demandes_recues"] == "< 5" and tnd["taux_refus"] is None
    assert data["lignes"][0]["demandes_recues"] == 15


def test_every_value_conforms_to_the_table_schema(client, mai):
    with time_machine.travel(TODAY, tick=False):
        schema = client.get("/observatoire/donnees/schema.json").json()
        _, rows = _csv(client, "/observatoire/donnees/69/2026-05.csv")
    fields = {field["name"]: field for field in schema["fields"]}
    assert list(rows[0]) == list(fields)
    casts = {"integer": int, "number": float, "string": str, "yearmonth": lambda v: re.fullmatch(r"\d{4}-\d{2}", v)}
    for row in rows:
        for name, value in row.items():
            if value in schema["missingValues"]:
                continue
            assert casts[fields[name]["type"]](value) is not None, (name, value)
            if "enum" in fields[name].get("constraints", {}):
                assert value in fields[name]["constraints"]["enum"]
    assert schema["missingValues"] == ["", "< 5", "secret"]


@pytest.mark.parametrize(
    "url",
    [
        "/observatoire/donnees/69/2026-06.csv",  # the month is not over
        "/observatoire/donnees/69/2026-13.json",
        "/observatoire/donnees/99/2026-05.csv",  # no structure there
        "/observatoire/donnees/69/0001-01.csv",
        "/observatoire/donnees/6%C2%B2/2026-05.csv",
    ],
)
def test_no_aggregate_outside_the_published_cuts(client, mai, url):
    with time_machine.travel(TODAY, tick=False):
        assert client.get(url).status_code == 404


def _data_queries(captured) -> list[str]:
    """The request's queries but the shared cache's (the cut's cache and the per-IP counter)."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if "trajectoire_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


def test_query_count_of_an_open_file_does_not_grow(client, mai):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(TODAY, tick=False):
        with CaptureQueriesContext(connection) as before:
            client.get("/observatoire/donnees/69/2026-05.json")
        for i in range(20):
            DemandeFactory(unite=UniteFactory(structure=StructureFactory(departement="69")), sent_at=MAY,
                           answered_at=MAY + dt.timedelta(hours=i * 20), statut=Statut.REFUSEE,
                           motif_refus=MotifRefus.values[i % 5])  # fmt: skip
        cache.clear()  # the cut is cached for an hour (OPEN_DATA_CACHE_SECONDS): count a fresh computation
        with CaptureQueriesContext(connection) as after:
            assert client.get("/observatoire/donnees/69/2026-05.json").json()["lignes"][0]["demandes_recues"] == 35
    assert len(_data_queries(after)) <= len(_data_queries(before)) <= 8


def test_a_cut_is_computed_once_per_hour_whatever_the_query_string(client, mai, settings):
    """Revue 17–19: a public address must not let anyone load the database (each cut cached; query string
    ignored; per-IP limit on computations, 429 in French)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.OPEN_DATA_IP_MAX_ATTEMPTS = 2
    with time_machine.travel(TODAY, tick=False) as traveller:
        first = client.get("/observatoire/donnees/69/2026-05.json").json()
        with CaptureQueriesContext(connection) as again:
            for i in range(5):
                assert client.get(f"/observatoire/donnees/69/2026-05.json?x={i}").json() == first
        computing = [q for q in again.captured_queries if "demandes_demande" in q["sql"]]
        assert computing == []
        assert client.get("/observatoire/donnees/69/2026-04.csv").status_code == 200  # 2nd computation
        refused = client.get("/observatoire/donnees/69/2026-03.csv")
        assert refused.status_code == 429 and "Trop de requêtes" in refused.content.decode()
        assert client.get("/observatoire/donnees/69/2026-05.csv").status_code == 200  # cached: still served
        traveller.shift(dt.timedelta(seconds=61))
        assert client.get("/observatoire/donnees/69/2026-03.csv").status_code == 200


def test_open_rows_name_no_structure_nor_person(client, mai):
    from trajectoire.demandes.models import Demande

    with time_machine.travel(TODAY, tick=False):
        body = client.get("/observatoire/donnees/69/2026-05.csv").content.decode()
    for demande in Demande.objects.select_related("unite__structure", "dossier__patient"):
        for value in (demande.unite.structure.name, demande.unite.name, demande.dossier.patient.nom_naissance):
            assert value not in body
