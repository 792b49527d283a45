import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.demandes import ReadyDossierFactory
from trajectoire.demandes import services
from trajectoire.demandes.enums import MotifCloture, Statut
from trajectoire.demandes.inactivity import archive_unconfirmed, confirm_still_current, send_alerts
from trajectoire.dossiers.enums import Statut as DossierStatut
from trajectoire.notifications.models import Notification

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
SIX_MONTHS = dt.timedelta(days=183)
TWO_MONTHS = dt.timedelta(days=61)


def alerts(user):
    return Notification.objects.filter(user=user, title__contains="toujours d’actualité").count()


def test_alert_after_six_months_then_archive_two_months_later(doctor, smr_units, staff):
    with time_machine.travel(START, tick=False):
        dossier = ReadyDossierFactory(sanitaire=True, created_by=doctor, medecin=doctor, patient__created_by=doctor)
        (demande,) = services.send(dossier, smr_units[:1], by=doctor)
    with time_machine.travel(START + SIX_MONTHS - dt.timedelta(seconds=1), tick=False):
        assert send_alerts() == 0
    with time_machine.travel(START + SIX_MONTHS + dt.timedelta(seconds=1), tick=False):
        assert send_alerts() == 1
        assert send_alerts() == 0  # idempotent
    assert alerts(doctor) == 1
    with time_machine.travel(START + SIX_MONTHS + TWO_MONTHS - dt.timedelta(seconds=1), tick=False):
        assert archive_unconfirmed() == 0
    with time_machine.travel(START + SIX_MONTHS + TWO_MONTHS + dt.timedelta(seconds=2), tick=False):
        assert archive_unconfirmed() == 1
    dossier.refresh_from_db()
    demande.refresh_from_db()
    assert dossier.statut == DossierStatut.ARCHIVE
    assert demande.statut == Statut.CLOTUREE and demande.motif_cloture == MotifCloture.DOSSIER_ARCHIVE


def test_a_confirmed_dossier_is_not_archived(doctor):
    with time_machine.travel(START, tick=False):
        dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    with time_machine.travel(START + SIX_MONTHS + dt.timedelta(days=1), tick=False):
        assert send_alerts() == 1
    with time_machine.travel(START + SIX_MONTHS + dt.timedelta(days=10), tick=False):
        confirm_still_current(dossier)
    with time_machine.travel(START + SIX_MONTHS + TWO_MONTHS + dt.timedelta(days=2), tick=False):
        assert archive_unconfirmed() == 0
    dossier.refresh_from_db()
    assert dossier.statut != DossierStatut.ARCHIVE


def test_activity_on_a_demande_counts_as_a_change(doctor, smr_units, staff):
    with time_machine.travel(START, tick=False):
        dossier = ReadyDossierFactory(sanitaire=True, created_by=doctor, medecin=doctor, patient__created_by=doctor)
        (demande,) = services.send(dossier, smr_units[:1], by=doctor)
    with time_machine.travel(START + dt.timedelta(days=100), tick=False):
        services.put_on_waiting_list(demande, staff[0])
    with time_machine.travel(START + SIX_MONTHS + dt.timedelta(days=1), tick=False):
        assert send_alerts() == 0


def test_the_sender_confirms_through_the_page(client, doctor):
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    client.force_login(doctor)
    response = client.post(f"/demandes/dossier/{dossier.pk}/toujours-actualite/", follow=True)
    assert "votre dossier reste actif" in response.content.decode()


def test_the_family_page_shows_the_alert_with_the_dossier_read(client, django_assert_max_num_queries):
    """The family's dossier page asks « toujours d'actualité ? » while an alert is pending (read with the
    dossier, no query of its own), and not otherwise."""
    from tests.factories.usagers import FamilyDossierFactory
    from trajectoire.demandes.models import AlerteInactivite

    dossier = FamilyDossierFactory()
    client.force_login(dossier.created_by)
    url = f"/usager/dossier/{dossier.pk}/"
    question = "Votre dossier est-il toujours d’actualité ?"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert question not in client.get(url).content.decode()
    assert not any('FROM "demandes_alerteinactivite"' in query["sql"] for query in captured)  # joined, not read apart
    AlerteInactivite.objects.create(dossier=dossier, alerted_at=dossier.updated_at)
    assert question in client.get(url).content.decode()
    confirm_still_current(dossier)
    assert question not in client.get(url).content.decode()
