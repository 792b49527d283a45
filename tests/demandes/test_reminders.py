import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from trajectoire.demandes import services
from trajectoire.demandes.reminders import send_due_reminders
from trajectoire.demandes.tasks import relancer_demandes
from trajectoire.notifications.models import Notification

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def relances(user):
    return Notification.objects.filter(user=user, title__startswith="Relance").count()


def test_unanswered_sanitaire_demande_is_reminded_after_48_hours_once_per_delay(dossier, doctor, smr_units, staff):
    with time_machine.travel(START, tick=False):
        services.send(dossier, smr_units[:1], by=doctor)
    with time_machine.travel(START + dt.timedelta(hours=48) - dt.timedelta(seconds=1), tick=False):
        assert send_due_reminders() == 0
    with time_machine.travel(START + dt.timedelta(hours=48, seconds=1), tick=False):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0  # idempotent: a second pass (or worker) sends nothing
    assert relances(staff[0]) == 1
    with time_machine.travel(START + dt.timedelta(hours=96, seconds=2), tick=False):
        relancer_demandes.enqueue()  # the periodic task the scheduler places
    assert relances(staff[0]) == 2


def test_an_answered_demande_is_not_reminded(dossier, doctor, smr_units, staff):
    with time_machine.travel(START, tick=False):
        (a,) = services.send(dossier, smr_units[:1], by=doctor)
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        services.put_on_waiting_list(a, staff[0])
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        assert send_due_reminders() == 0


def test_grand_age_delay_is_15_days(doctor, staff):
    from tests.factories.demandes import ReadyDossierFactory
    from tests.factories.directory import UniteFactory

    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    unite = UniteFactory()
    with time_machine.travel(START, tick=False):
        services.send(dossier, [unite], by=doctor)
    with time_machine.travel(START + dt.timedelta(days=15) - dt.timedelta(seconds=1), tick=False):
        assert send_due_reminders() == 0
    with time_machine.travel(START + dt.timedelta(days=15, seconds=1), tick=False):
        assert send_due_reminders() == 1


def test_delay_is_configurable(settings, dossier, doctor, smr_units):
    settings.RELANCE_DELAYS_HOURS = {**settings.RELANCE_DELAYS_HOURS, "sanitaire": 2}
    with time_machine.travel(START, tick=False):
        services.send(dossier, smr_units[:1], by=doctor)
    with time_machine.travel(START + dt.timedelta(hours=2, seconds=1), tick=False):
        assert send_due_reminders() == 1
    assert timezone.now()  # sanity: time restored
