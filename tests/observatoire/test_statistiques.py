"""The observatoire: aggregates of its territory only, small cells hidden, CSV export, permissions."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.audit.enums import Action
from trajectoire.audit.models import AuditEvent
from trajectoire.demandes.enums import MotifRefus, Statut
from trajectoire.demandes.models import Demande
from trajectoire.observatoire.services import Filtre, statistiques

pytestmark = pytest.mark.django_db


@pytest.fixture
def ars(db):
    # A name no patient factory generates: the page (its header shows the user) is searched for patients' names.
    return UserFactory(
        is_observatoire=True, observatoire_departements="69, 01", first_name="Claire", last_name="Statisticienne-ARS"
    )


def _demande(unite, *, answered_h=None, **fields):
    sent = timezone.now() - timedelta(days=20)
    answered = sent + timedelta(hours=answered_h) if answered_h is not None else None
    return DemandeFactory(unite=unite, sent_at=sent, answered_at=answered, **fields)


@pytest.fixture
def territoire(db):
    lyon = UniteFactory(structure=StructureFactory(departement="69", name="EHPAD de Lyon"))
    day = (timezone.now() - timedelta(days=20)).date()
    for hours in (24, 48, 24, 48, 24):
        _demande(lyon, answered_h=hours, statut=Statut.REFUSEE, motif_refus=MotifRefus.PAS_DE_PLACE)
    for _ in range(5):
        _demande(lyon, answered_h=12, statut=Statut.ACCEPTEE, date_admission_proposee=day + timedelta(days=7))
    for _ in range(5):
        _demande(lyon, answered_h=6, statut=Statut.ADMIS, date_admission_proposee=day + timedelta(days=9),
                 date_entree=day + timedelta(days=10))  # fmt: skip
    _demande(lyon)  # not answered yet
    bourg = UniteFactory(structure=StructureFactory(departement="01", name="EHPAD de Bourg"))
    for _ in range(2):
        _demande(bourg, answered_h=2, statut=Statut.REFUSEE, motif_refus=MotifRefus.HORS_SECTEUR)
    paris = UniteFactory(structure=StructureFactory(departement="75", name="EHPAD de Paris"))
    for _ in range(5):
        _demande(paris, answered_h=1, statut=Statut.REFUSEE, motif_refus=MotifRefus.AUTRE)


def test_counts_rates_and_medians_of_the_territory_only(territoire):
    stats = statistiques(Filtre(departements=["01", "69"]))
    assert stats.ensemble.total == 18  # Paris is not in the territory
    lyon = next(line for line in stats.par_departement if line.label == "Département 69")
    assert (lyon.total, lyon.repondues, lyon.acceptees, lyon.refusees, lyon.admissions) == (16, 15, 10, 5, 5)
    # 18 − 16 would give the Ain's 2 back: complementary suppression hides the Rhône's total, answers, refusals.
    assert lyon.publies == {"total": "secret", "repondues": "secret", "acceptees": "10", "refusees": "secret",
                            "admissions": "5"}  # fmt: skip
    assert lyon.taux_acceptation is None and lyon.taux_refus is None  # their denominator is hidden
    assert lyon.delai_reponse_h == 12.0  # median of 5 × 6 h, 5 × 12 h, 3 × 24 h, 2 × 48 h
    assert lyon.delai_admission_j == 10.0
    rhone = statistiques(Filtre(departements=["69"])).par_departement[0]  # the Rhône alone: nothing to hide
    assert rhone.publies["total"] == "16" and rhone.taux_acceptation == 66.7 and rhone.taux_refus == 33.3
    # Two demandes only in the Ain: published as « < 5 », without rates or delays.
    ain = next(line for line in stats.par_departement if line.label == "Département 01")
    assert ain.secret and ain.taux_refus is None and ain.delai_reponse_h is None
    assert {m.label: m.publies["n"] for m in stats.motifs_refus} == {
        "Absence de place disponible": "secret",  # 7 refusals − 5 would give the 2 back
        "Hors secteur géographique": "< 5",
    }
    assert [line.label for line in stats.par_domaine] == ["Grand Âge"]
    # A rate is not published when it would give a hidden count back (7 refusals of 17 answers: 5 + 2).
    ensemble = stats.ensemble
    assert ensemble.refusees == 7 and ensemble.taux_refus == 41.2


def test_a_rate_never_reveals_a_small_count():
    from trajectoire.observatoire.services import Ligne

    line = Ligne(label="x", total=40, repondues=30, acceptees=3, refusees=0)
    assert line.taux_acceptation is None  # 3 = 10 % × 30 would be given back
    assert line.taux_refus == 0.0
    assert Ligne(label="y", total=9, repondues=4, acceptees=0).taux_acceptation is None  # denominator < 5


def test_period_and_domain_filters(territoire):
    old = timezone.localdate() - timedelta(days=400)
    assert statistiques(Filtre(departements=["69"], jusqua=old)).ensemble.total == 0
    assert statistiques(Filtre(departements=["69"], domain="sanitaire")).ensemble.total == 0
    assert statistiques(Filtre(departements=["69"], domain="grand_age")).ensemble.total == 16


def test_page_shows_aggregates_never_names_and_is_traced(client, ars, territoire, django_assert_max_num_queries):
    client.force_login(ars)
    with django_assert_max_num_queries(
        18
    ):  # constant: 5 grouped counts, delays, motifs, targets, late structures, session, audit…
        page = client.get("/observatoire/", {"departement": "69"}).content.decode()
    assert "Par département de la structure" in page and "Département 69" in page
    assert "66,7 %" in page and "12,0 h" in page and "10,0 j" in page
    page = client.get("/observatoire/").content.decode()
    assert "&lt; 5" in page  # the Ain's two demandes
    assert "Département 75" not in page and "EHPAD de Paris" not in page
    # Structures (public FINESS entities, not persons) are named only in the list of those over their target.
    assert page.count("EHPAD de Lyon") == 1 and "EHPAD de Bourg" not in page
    for demande in Demande.objects.select_related("dossier__patient"):
        assert demande.dossier.patient.nom_naissance not in page
    events = AuditEvent.objects.filter(action=Action.VIEW, actor=ars, object_type="observatoire")
    assert sorted(event.details["departements"] for event in events) == ["01,69", "69"]


def test_query_count_does_not_grow_with_the_demandes(client, ars, territoire, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(ars)
    client.get("/observatoire/")
    with CaptureQueriesContext(connection) as before:
        client.get("/observatoire/")
    for i in range(30):  # more structures, départements, domains, months, motifs, and demandes over their target
        unite = UniteFactory(structure=StructureFactory(departement=["69", "01"][i % 2]))
        sent = timezone.now() - timedelta(days=10 + 11 * i)
        answered = sent + timedelta(hours=i) if i % 3 else None
        statut, motif = (Statut.REFUSEE, MotifRefus.values[i % 5]) if answered else (Statut.ENVOYEE, "")
        DemandeFactory(unite=unite, sent_at=sent, answered_at=answered, statut=statut, motif_refus=motif)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get("/observatoire/").content.decode()
    assert page.count('<th scope="row">Département') == 2 and "Structures au-delà du délai cible" in page
    assert len(before.captured_queries) <= 18


def test_territory_filter_cannot_leave_the_accounts_departements(client, ars, territoire):
    client.force_login(ars)
    page = client.get("/observatoire/", {"departement": "75"}).content.decode()
    assert "Sélectionnez un choix valide" in page and "Par département de la structure" not in page
    page = client.get("/observatoire/", {"departement": "69"}).content.decode()
    assert '<th scope="row">Département 69</th>' in page
    assert '<th scope="row">Département 01</th>' not in page  # still offered in the list, not counted


def test_bad_dates_give_french_messages(client, ars, territoire):
    client.force_login(ars)
    page = client.get("/observatoire/", {"depuis": "2026-06-01", "jusqua": "2026-01-01"}).content.decode()
    assert "La fin de la période doit suivre son début." in page
    page = client.get("/observatoire/", {"depuis": "31/02/2026"}).content.decode()
    assert "Date invalide" in page


def test_csv_export_with_the_same_secrecy(client, ars, territoire):
    client.force_login(ars)
    response = client.get("/observatoire/export.csv", {"domain": "grand_age"})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffSection;Regroupement;Demandes reçues")
    rows = [line.split(";") for line in text.strip().splitlines()]
    lyon = next(row for row in rows if row[1] == "Département 69")
    assert lyon[2:8] == ["secret", "secret", "10", "secret", "5", ""]  # complementary suppression, as on the page
    ain = next(row for row in rows if row[1] == "Département 01")
    assert ain[2] == "< 5" and ain[7] == ""
    motifs = [row[:3] for row in rows if row[0] == "Motif de refus"]
    assert motifs == [["Motif de refus", "Absence de place disponible", "secret"],
                      ["Motif de refus", "Hors secteur géographique", "< 5"]]  # fmt: skip


def test_only_observatoire_accounts(client, ars):
    assert client.get("/observatoire/")["Location"].startswith("/connexion/")
    client.force_login(UserFactory(medecin=True))
    assert client.get("/observatoire/").status_code == 403
    assert client.get("/observatoire/export.csv").status_code == 403
    assert "Observatoire" not in client.get("/tableau-de-bord/").content.decode()
    client.force_login(ars)
    assert "Voir les statistiques" in client.get("/tableau-de-bord/").content.decode()


def test_account_without_territory_is_told_what_to_do(client):
    client.force_login(UserFactory(is_observatoire=True, observatoire_departements=""))
    page = client.get("/observatoire/").content.decode()
    assert "Aucun département n’est rattaché à votre compte" in page


def test_default_period_is_the_last_twelve_months():
    filtre = Filtre(departements=["69"])
    assert filtre.jusqua == timezone.localdate()
    assert filtre.depuis == filtre.jusqua - dt.timedelta(days=365)


def test_the_secrecy_threshold_is_a_setting(territoire, settings):
    settings.OBSERVATOIRE_SECRET_BELOW = 11  # SNDS-style rule
    stats = statistiques(Filtre(departements=["01", "69"]))
    lyon = next(line for line in stats.par_departement if line.label == "Département 69")
    assert lyon.total == 16 and lyon.taux_refus is None  # 5 refusals are now a hidden cell
    assert lyon.taux_acceptation is None and lyon.delai_reponse_h == 12.0  # 10 places < 11; 15 answers ≥ 11
    from trajectoire.observatoire.services import shown

    assert shown(10) == "< 11" and shown(11) == "11" and shown(0) == "0"
