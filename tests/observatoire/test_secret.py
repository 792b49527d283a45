"""Complementary suppression: no hidden cell can be recovered by subtracting the published ones from a total."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.demandes.enums import MotifRefus, Statut
from trajectoire.directory.enums import Domain
from trajectoire.observatoire.secret import proteger, secret_below
from trajectoire.observatoire.services import COUNT_FIELDS, Filtre, Ligne, statistiques


def recoverable(lines, margin, field) -> list[str]:
    """What an attacker gets back: the hidden cells of a column that subtraction alone reveals."""
    if margin.masque(field):
        return []
    hidden = [line for line in lines if line.masque(field)]
    return [line.label for line in hidden] if len(hidden) == 1 else []


def test_the_tnd_example_269_minus_156_minus_109():
    lines = [Ligne("Grand Âge", total=156), Ligne("Sanitaire", total=109), Ligne("TND", total=4)]
    margin = Ligne("Ensemble", total=269)
    assert recoverable(lines, margin, "total") == ["TND"]  # before: 269 − 156 − 109 = 4
    proteger(lines, margin, ["total"])
    assert [line.publie("total") for line in lines] == ["156", "secret", "< 5"]  # the next-smallest is hidden
    assert recoverable(lines, margin, "total") == []


def test_hidden_cells_add_up_to_the_threshold_at_least():
    lines = [Ligne("a", total=1), Ligne("b", total=2), Ligne("c", total=3), Ligne("d", total=40)]
    proteger(lines, Ligne("Ensemble", total=46), ["total"])
    assert [line.publie("total") for line in lines] == ["< 5", "< 5", "< 5", "40"]  # 1 + 2 + 3 ≥ 5: enough
    lines = [Ligne("a", total=1), Ligne("b", total=2), Ligne("c", total=6), Ligne("d", total=40)]
    proteger(lines, Ligne("Ensemble", total=49), ["total"])
    assert [line.publie("total") for line in lines] == ["< 5", "< 5", "secret", "40"]  # 1 + 2 < 5: one more


def test_a_hidden_margin_or_zero_cells_need_nothing_more():
    lines = [Ligne("a", total=3), Ligne("b", total=0)]
    proteger(lines, Ligne("Ensemble", total=3), ["total"])
    assert [line.publie("total") for line in lines] == ["< 5", "0"]


def test_each_column_of_a_row_is_protected_and_rates_follow():
    # Rows: TND has small answers and refusals; the other rows hide their own cells of those columns only.
    lines = [
        Ligne("Grand Âge", total=156, repondues=150, refusees=60, acceptees=80),
        Ligne("Sanitaire", total=109, repondues=100, refusees=30, acceptees=60),
        Ligne("TND", total=14, repondues=4, refusees=2, acceptees=0),
    ]
    margin = Ligne("Ensemble", total=279, repondues=254, refusees=92, acceptees=140)
    proteger(lines, margin, COUNT_FIELDS)
    sanitaire = lines[1]
    assert sanitaire.masques == {"repondues", "refusees"} and sanitaire.publie("total") == "109"
    assert sanitaire.taux_refus is None and sanitaire.taux_acceptation is None  # a hidden count would come back
    assert lines[0].taux_refus == 40.0  # Grand Âge: nothing of its own hidden
    for field in COUNT_FIELDS:
        assert recoverable(lines, margin, field) == []


@pytest.fixture
def three_domains(db):
    unite = {domain: UniteFactory(structure=StructureFactory(departement="69"), domain=domain) for domain in Domain}
    sent = timezone.now() - timedelta(days=10)
    counts = {Domain.GRAND_AGE: 7, Domain.SANITAIRE: 6, Domain.TND: 2}
    for domain, count in counts.items():
        for _ in range(count):
            DemandeFactory(unite=unite[domain], dossier__domain=domain, domain=domain, sent_at=sent,
                           answered_at=sent + timedelta(hours=3), statut=Statut.REFUSEE,
                           motif_refus=MotifRefus.PAS_DE_PLACE)  # fmt: skip


def test_every_table_of_the_page_and_the_csv_is_protected(client, three_domains):
    stats = statistiques(Filtre(departements=["69"]))
    assert stats.ensemble.total == 15
    by_domain = {line.label: line.publie("total") for line in stats.par_domaine}
    assert list(by_domain.values()).count("secret") == 1 and "< 5" in by_domain.values()
    assert by_domain["Grand Âge"] == "7" and by_domain["Sanitaire (suites de soins)"] == "secret"
    for table in (stats.par_departement, stats.par_domaine, stats.par_categorie, stats.par_mois):
        for field in COUNT_FIELDS:
            assert recoverable(table, stats.ensemble, field) == []
    client.force_login(UserFactory(is_observatoire=True, observatoire_departements="69"))
    text = client.get("/observatoire/export.csv").content.decode("utf-8")
    rows = {row.split(";")[1]: row.split(";") for row in text.splitlines()[1:]}
    assert rows["Sanitaire (suites de soins)"][2] == "secret" and rows["Troubles du neuro-développement"][2] == "< 5"
    assert rows["Grand Âge"][2] == "7"
    page = client.get("/observatoire/").content.decode()
    assert page.count("<td>secret</td>") >= 1 and "« secret »" in page
    assert secret_below() == 5


def test_structures_over_their_target_are_listed(db, client, django_assert_max_num_queries):
    late = UniteFactory(structure=StructureFactory(departement="69", name="EHPAD des Lilas"))
    prompt = UniteFactory(structure=StructureFactory(departement="69", name="EHPAD des Roses"))
    elsewhere = UniteFactory(structure=StructureFactory(departement="75", name="EHPAD de Paris"))
    now = timezone.now()
    for days in (8, 9, 20, 30, 40, 50):  # Grand Âge target: 7 days; twice: 14 days
        DemandeFactory(unite=late, sent_at=now - timedelta(days=days))
    DemandeFactory(unite=prompt, sent_at=now - timedelta(days=3))
    DemandeFactory(unite=prompt, sent_at=now - timedelta(days=9), answered_at=now - timedelta(days=8))
    DemandeFactory(unite=elsewhere, sent_at=now - timedelta(days=30))
    client.force_login(UserFactory(is_observatoire=True, observatoire_departements="69"))
    with django_assert_max_num_queries(18):
        page = client.get("/observatoire/").content.decode()
    assert '<th scope="row">EHPAD des Lilas</th><td>69</td><td>6</td><td>&lt; 5</td>' in page
    assert "EHPAD des Roses" not in page and "EHPAD de Paris" not in page
