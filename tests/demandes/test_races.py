"""Races run for real: threads on PostgreSQL, each with its own connection and transaction."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from trajectoire.demandes import services
from trajectoire.demandes.enums import MotifAnnulation, Statut
from trajectoire.demandes.models import Demande
from trajectoire.demandes.workflow import TransitionError

pytestmark = pytest.mark.django_db(transaction=True)

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL (run by .ci/run)")


def race(*calls):
    """Start all calls at once; return each outcome ("ok" or the TransitionError message)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except TransitionError as exc:
            outcomes[i] = str(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def reload(*demandes):
    return [Demande.objects.get(pk=d.pk) for d in demandes]


@pytest.mark.parametrize("attempt", range(3))
def test_two_tabs_confirming_two_acceptances_give_exactly_one_admission(dossier, doctor, smr_units, staff, attempt):
    a, b, c = services.send(dossier, smr_units, by=doctor)
    services.accept(a, staff[0], TOMORROW)
    services.accept(b, staff[1], TOMORROW)
    outcomes = race(lambda: services.confirm_admission(a, doctor), lambda: services.confirm_admission(b, doctor))
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    statuses = sorted(d.statut for d in reload(a, b, c))
    assert statuses == sorted([Statut.ADMISSION_CONFIRMEE, Statut.CLOTUREE, Statut.CLOTUREE])


@pytest.mark.parametrize("attempt", range(3))
def test_a_structure_accepting_while_the_sender_confirms_another(dossier, doctor, smr_units, staff, attempt):
    a, b, c = services.send(dossier, smr_units, by=doctor)
    services.accept(a, staff[0], TOMORROW)
    outcomes = race(lambda: services.confirm_admission(a, doctor), lambda: services.accept(b, staff[1], TOMORROW))
    a, b, c = reload(a, b, c)
    assert outcomes[0] == "ok"
    assert a.statut == Statut.ADMISSION_CONFIRMEE
    # whichever came first, the acceptance is not lost silently: either it was recorded then closed,
    # or it was refused with a message because the demande was already closed.
    assert b.statut == Statut.CLOTUREE and c.statut == Statut.CLOTUREE
    if outcomes[1] == "ok":
        assert list(b.events.values_list("action", flat=True))[-2:] == ["accepter", "cloturer"]
    else:
        assert "Clôturée" in outcomes[1]


@pytest.mark.parametrize("attempt", range(3))
def test_a_cancellation_racing_an_acceptance_ends_in_one_consistent_state(dossier, doctor, smr_units, staff, attempt):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    outcomes = race(
        lambda: services.cancel(a, doctor, MotifAnnulation.RETOUR_DOMICILE),
        lambda: services.accept(a, staff[0], TOMORROW),
    )
    (a,) = reload(a)
    assert a.statut == Statut.ANNULEE  # a cancellation is allowed from both states
    actions = list(a.events.values_list("action", flat=True))
    if outcomes[1] == "ok":
        assert actions == ["envoyer", "accepter", "annuler"]
    else:
        assert actions == ["envoyer", "annuler"] and "Annulée" in outcomes[1]


def test_two_structures_accepting_at_once_both_succeed_independently(dossier, doctor, smr_units, staff):
    a, b, _ = services.send(dossier, smr_units, by=doctor)
    outcomes = race(lambda: services.accept(a, staff[0], TOMORROW), lambda: services.accept(b, staff[1], TOMORROW))
    assert outcomes == ["ok", "ok"]
    assert [d.statut for d in reload(a, b)] == [Statut.ACCEPTEE, Statut.ACCEPTEE]
