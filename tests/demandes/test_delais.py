"""Response-time commitments: « sans réponse depuis N jours » for the doctor and the family, the usual delay."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.demandes import DemandeFactory
from tests.factories.directory import UniteFactory
from tests.factories.usagers import FamilleFactory, FamilyDossierFactory
from trajectoire.demandes import delais, services
from trajectoire.demandes.models import DelaiCible

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_targets_come_from_settings_then_the_administrator(settings):
    table = delais.cibles()
    assert table[("sanitaire", False)] == dt.timedelta(hours=48)
    assert table[("sanitaire", True)] == dt.timedelta(hours=24)
    assert table[("grand_age", False)] == dt.timedelta(days=7)
    DelaiCible.objects.create(domain="grand_age", urgente=False, heures=72)
    assert delais.cibles()[("grand_age", False)] == dt.timedelta(hours=72)
    assert delais.duree(dt.timedelta(hours=72)) == "3 jours" and delais.duree(dt.timedelta(hours=1)) == "1 heure"


def test_targets_are_kept_and_dropped_when_the_administrator_writes_one(settings):
    """The overrides are read once per DELAIS_CIBLES_CACHE_SECONDS; writing or deleting one applies at once."""
    settings.DELAIS_CIBLES_CACHE_SECONDS = 300
    delais.cibles()
    with CaptureQueriesContext(connection) as captured:
        assert delais.cibles()[("grand_age", False)] == dt.timedelta(days=7)
    assert not any("demandes_delaicible" in query["sql"] for query in captured)
    cible = DelaiCible.objects.create(domain="grand_age", urgente=False, heures=72)
    assert delais.cibles()[("grand_age", False)] == dt.timedelta(hours=72)
    cible.heures = 96
    cible.save()
    assert delais.cibles()[("grand_age", False)] == dt.timedelta(hours=96)
    cible.delete()
    assert delais.cibles()[("grand_age", False)] == dt.timedelta(days=7)


def test_the_doctor_sees_how_long_a_demande_waits_against_its_target(client, dossier, doctor, smr_units, staff):
    with time_machine.travel(START, tick=False):
        a, b = services.send(dossier, smr_units[:2], by=doctor)
    client.force_login(doctor)
    with time_machine.travel(START + dt.timedelta(hours=30), tick=False):
        page = client.get("/demandes/").content.decode()
        assert page.count("Sans réponse depuis 1 jour (délai cible : 48 heures)") == 2
    with time_machine.travel(START + dt.timedelta(days=3, hours=1), tick=False):
        services.mark_read(a, staff[0])  # read is not an answer
        services.refuse(b, staff[1], "pas_de_place", "")
        client.force_login(doctor)  # the session of 3 days ago has expired
        page = client.get("/demandes/").content.decode()
        assert page.count("Sans réponse depuis 3 jours : délai cible de 48 heures dépassé") == 1
        detail = client.get(f"/demandes/{a.pk}/").content.decode()
        assert "Sans réponse depuis 3 jours : délai cible de 48 heures dépassé" in detail
        assert "Sans réponse" not in client.get(f"/demandes/{b.pk}/").content.decode()
        assert "délai cible de 48 heures dépassé" in client.get(f"/dossiers/{dossier.pk}/").content.decode()


def test_the_family_sees_it_on_its_dossier(client):
    famille = FamilleFactory()
    dossier = FamilyDossierFactory(created_by=famille, patient__created_by=famille)
    DemandeFactory(dossier=dossier, sent_at=timezone.now() - dt.timedelta(days=9))
    client.force_login(famille)
    page = client.get(f"/usager/dossier/{dossier.pk}/").content.decode()
    assert "Sans réponse depuis 9 jours : délai cible de 7 jours dépassé" in page


def test_the_list_reads_the_targets_once(client, doctor, django_assert_max_num_queries):
    from tests.factories.demandes import ReadyDossierFactory

    client.force_login(doctor)
    for _ in range(2):
        DemandeFactory(dossier=ReadyDossierFactory(created_by=doctor, medecin=doctor))
    with django_assert_max_num_queries(20) as few:
        client.get("/demandes/")
    for _ in range(10):
        DemandeFactory(dossier=ReadyDossierFactory(created_by=doctor, medecin=doctor))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/demandes/").content.decode().count("Sans réponse depuis moins d’un jour") == 12


def test_usual_delay_is_the_median_of_recent_first_answers_above_a_minimum(settings):
    settings.DELAI_HABITUEL_MIN_REPONSES = 3
    busy, quiet = UniteFactory(), UniteFactory()
    now = timezone.now()
    for hours in (10, 20, 30):
        DemandeFactory(
            unite=busy,
            sent_at=now - dt.timedelta(days=5),
            answered_at=now - dt.timedelta(days=5) + dt.timedelta(hours=hours),
        )
    old = now - dt.timedelta(days=120)
    DemandeFactory(unite=busy, sent_at=old, answered_at=old + dt.timedelta(hours=500))  # older than 90 days
    for hours in (1, 2):
        DemandeFactory(
            unite=quiet,
            sent_at=now - dt.timedelta(days=2),
            answered_at=now - dt.timedelta(days=2) + dt.timedelta(hours=hours),
        )
    usual = delais.delais_habituels([busy.structure_id, quiet.structure_id])
    assert usual == {busy.structure_id: dt.timedelta(hours=20)}  # the quiet one has too few answers


def test_the_search_page_shows_each_structures_usual_delay_in_one_query(
    client, doctor, smr_units, settings, django_assert_max_num_queries
):
    from tests.factories.demandes import ReadyDossierFactory
    from tests.factories.directory import CommuneFactory

    settings.DELAI_HABITUEL_MIN_REPONSES = 3
    lyon = CommuneFactory(insee="69123", name="Lyon", latitude=45.76, longitude=4.83)
    for unit in smr_units:
        unit.structure.latitude, unit.structure.longitude = 45.75, 4.85
        unit.structure.save()
    dossier = ReadyDossierFactory(
        sanitaire=True, created_by=doctor, medecin=doctor, patient__created_by=doctor, patient__commune=lyon
    )
    now = timezone.now()
    client.force_login(doctor)
    url = f"/demandes/dossier/{dossier.pk}/envoyer/"
    with django_assert_max_num_queries(40) as before:
        assert "délai habituel" not in client.get(url).content.decode()
    for unit in smr_units[:2]:
        for hours in (5, 6, 7):
            sent = now - dt.timedelta(days=3)
            DemandeFactory(
                unite=unit, dossier__sanitaire=True, sent_at=sent, answered_at=sent + dt.timedelta(hours=hours)
            )
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("délai habituel de première réponse : 6 heures") == 2


def test_the_administrator_edits_a_target_in_the_admin(client):
    from tests.factories.accounts import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/administration/demandes/delaicible/add/", {"domain": "sanitaire", "urgente": "on", "heures": "12"}
    )
    assert response.status_code == 302
    assert delais.cibles()[("sanitaire", True)] == dt.timedelta(hours=12)
    page = client.post("/administration/demandes/delaicible/add/", {"domain": "sanitaire", "heures": "0"})
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1" in page.content.decode()
    client.force_login(UserFactory(medecin=True))
    assert client.get("/administration/demandes/delaicible/").status_code == 302  # not staff: to the login


def test_the_family_search_shows_the_usual_delay_too(client, settings):
    from tests.usagers.conftest import complete, three_priced_ehpads

    settings.DELAI_HABITUEL_MIN_REPONSES = 2
    famille = FamilleFactory()
    dossier = FamilyDossierFactory(created_by=famille, patient__created_by=famille)
    from tests.factories.accounts import UserFactory

    complete(dossier, famille, UserFactory(medecin=True))
    ehpads = three_priced_ehpads()
    sent = timezone.now() - dt.timedelta(days=10)
    for days in (2, 4):
        DemandeFactory(unite=ehpads[0], sent_at=sent, answered_at=sent + dt.timedelta(days=days))
    client.force_login(famille)
    page = client.get(f"/usager/dossier/{dossier.pk}/etablissements/", {"commune": "Bourg-en-Bresse", "rayon": 30})
    assert page.content.decode().count("Répond d’habitude en 3 jours.") == 1


def test_the_structure_sees_it_in_its_inbox(client, dossier, doctor, smr_units, staff):
    with time_machine.travel(START, tick=False):
        services.send(dossier, smr_units[:1], by=doctor)
    with time_machine.travel(START + dt.timedelta(days=4), tick=False):
        client.force_login(staff[0])
        page = client.get("/demandes/recues/").content.decode()
    assert "Sans réponse depuis 4 jours : délai cible de 48 heures dépassé" in page


def test_usual_delays_are_kept_per_structure_for_the_set_time(settings, django_assert_max_num_queries):
    """Each structure's usual delay is kept DELAI_HABITUEL_CACHE_SECONDS; a page reads only the structures it
    has not got (one query), a structure with too few answers is kept as unknown, and it expires."""
    settings.DELAI_HABITUEL_MIN_REPONSES = 2
    settings.DELAI_HABITUEL_CACHE_SECONDS = 3600
    busy, quiet, other = UniteFactory(), UniteFactory(), UniteFactory()
    now = timezone.now()

    def answered(unite, hours):
        sent = now - dt.timedelta(days=3)
        DemandeFactory(unite=unite, sent_at=sent, answered_at=sent + dt.timedelta(hours=hours))

    for hours in (4, 8):
        answered(busy, hours)
        answered(other, hours * 2)
    answered(quiet, 1)
    ids = [busy.structure_id, quiet.structure_id]
    assert delais.delais_habituels(ids) == {busy.structure_id: dt.timedelta(hours=6)}
    answered(busy, 30)
    answered(quiet, 3)
    with django_assert_max_num_queries(1):  # the cache's read only (database cache): both kept, unknown too
        assert delais.delais_habituels(ids) == {busy.structure_id: dt.timedelta(hours=6)}
    both = delais.delais_habituels([*ids, other.structure_id])  # the new one read, the others kept
    assert both == {busy.structure_id: dt.timedelta(hours=6), other.structure_id: dt.timedelta(hours=12)}
    assert delais.delais_habituels(ids, now=timezone.now()) == {  # a given instant: computed, as now
        busy.structure_id: dt.timedelta(hours=8),
        quiet.structure_id: dt.timedelta(hours=2),
    }
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=3601)):
        assert delais.delais_habituels(ids)[quiet.structure_id] == dt.timedelta(hours=2)  # expired: computed
