"""Escalation of demandes without a first answer: admissions staff at the target, référent at twice it, each once."""

import datetime as dt

import pytest
import time_machine

from tests.factories.accounts import MembershipFactory
from trajectoire.demandes import services
from trajectoire.demandes.models import DelaiCible, DemandeEvent
from trajectoire.demandes.reminders import send_due_reminders
from trajectoire.demandes.tasks import relancer_demandes
from trajectoire.notifications.models import Notification

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def told(user, prefix):
    return Notification.objects.filter(user=user, title__startswith=prefix).count()


@pytest.fixture
def referent(smr_units):
    return MembershipFactory(structure=smr_units[0].structure, referent=True).user


def at(hours, seconds=0):
    return time_machine.travel(START + dt.timedelta(hours=hours, seconds=seconds), tick=False)


def test_admissions_at_the_target_then_referent_at_twice_it_each_once(dossier, doctor, smr_units, staff, referent):
    with at(0):
        (demande,) = services.send(dossier, smr_units[:1], by=doctor)
    with at(48, -1):
        assert send_due_reminders() == {"relance": 0, "escalade_referent": 0}
    with at(48, 1):
        assert send_due_reminders() == {"relance": 1, "escalade_referent": 0}
        assert send_due_reminders() == {"relance": 0, "escalade_referent": 0}  # a second pass sends nothing
    assert told(staff[0], "Relance") == 1 and told(referent, "Relance") == 0
    assert told(staff[1], "Relance") == 0  # another structure's staff
    with at(96, -1):
        assert send_due_reminders()["escalade_referent"] == 0
    with at(96, 1):
        relancer_demandes.enqueue()  # the periodic task placed by the scheduler
    assert told(referent, "Demande sans réponse") == 1 and told(staff[0], "Demande sans réponse") == 0
    with at(24 * 30):
        assert send_due_reminders() == {"relance": 0, "escalade_referent": 0}  # never again
    events = DemandeEvent.objects.filter(demande=demande).exclude(action="envoyer").order_by("at")
    assert [(e.action, e.actor, e.at) for e in events] == [
        ("relance", None, START + dt.timedelta(hours=48, seconds=1)),
        ("escalade_referent", None, START + dt.timedelta(hours=96, seconds=1)),
    ]
    assert events[0].label.endswith("au terme du délai cible de 48 heures")
    assert events[1].label.endswith("après le double du délai cible de 48 heures")


def test_reading_is_not_an_answer_but_answering_stops_the_escalation(dossier, doctor, smr_units, staff, referent):
    with at(0):
        a, b = services.send(dossier, smr_units[:2], by=doctor)
    with at(1):
        services.mark_read(a, staff[0])
        services.put_on_waiting_list(b, staff[1])
    with at(48, 1):
        assert send_due_reminders()["relance"] == 1
    assert told(staff[0], "Relance") == 1 and told(staff[1], "Relance") == 0
    with at(50):
        services.refuse(a, staff[0], "pas_de_place", "")
    with at(96, 1):
        assert send_due_reminders()["escalade_referent"] == 0
    assert told(referent, "Demande sans réponse") == 0


def test_an_urgent_demande_has_its_own_target(dossier, doctor, smr_units, staff):
    dossier.sections.filter(key="urgence").delete()
    with at(0):
        (demande,) = services.send(dossier, smr_units[:1], by=doctor)
    demande.__class__.objects.filter(pk=demande.pk).update(urgente=True)
    with at(24, 1):
        assert send_due_reminders()["relance"] == 1  # sanitaire urgente: 24 h by default


def test_the_administrator_overrides_a_target(dossier, doctor, smr_units, staff, settings):
    settings.DELAIS_CIBLES_HEURES = {**settings.DELAIS_CIBLES_HEURES, "sanitaire": 10}
    with at(0):
        services.send(dossier, smr_units[:1], by=doctor)
    with at(10, 1):
        assert send_due_reminders()["relance"] == 1  # the setting
    DelaiCible.objects.create(domain="sanitaire", urgente=False, heures=100)
    with at(20, 1):
        assert send_due_reminders()["escalade_referent"] == 0  # 2 × 100 h now, not 2 × 10 h
    with at(200, 1):
        assert send_due_reminders()["escalade_referent"] == 1


def test_a_worker_back_after_a_long_stop_takes_both_steps_once(dossier, doctor, smr_units, staff, referent):
    with at(0):
        services.send(dossier, smr_units[:1], by=doctor)
    with at(24 * 10):
        assert send_due_reminders() == {"relance": 1, "escalade_referent": 1}
        assert send_due_reminders() == {"relance": 0, "escalade_referent": 0}


def test_the_referent_page_counts_the_late_demandes(client, dossier, doctor, smr_units, staff, referent):
    with at(0):
        services.send(dossier, smr_units[:1], by=doctor)
    with at(50):
        client.force_login(referent)
        page = client.get(f"/demandes/structure/{smr_units[0].structure_id}/").content.decode()
        assert "1 demande attend une première réponse au-delà du délai cible." in page
    with at(100):
        client.force_login(referent)
        page = client.get(f"/demandes/structure/{smr_units[0].structure_id}/").content.decode()
        assert "1 demande attend une première réponse au-delà du délai cible, dont 1 au-delà du double." in page
