"""Two real task workers on one PostgreSQL: each escalation step happens once per demande, never twice."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.factories.accounts import MembershipFactory
from tests.factories.demandes import DemandeFactory, ReadyDossierFactory
from tests.factories.directory import UniteFactory
from tests.support.processes import run_workers
from trajectoire.demandes.models import DemandeEvent
from trajectoire.demandes.tasks import relancer_demandes
from trajectoire.notifications.models import Notification

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker processes must see the test database (run by .ci/run)")


def test_two_workers_escalate_each_demande_once():
    unite = UniteFactory()
    admissions = MembershipFactory(structure=unite.structure, admissions=True).user
    referent = MembershipFactory(structure=unite.structure, referent=True).user
    sent = timezone.now() - dt.timedelta(days=20)  # past twice the Grand Âge target (7 days by default)
    demandes = [DemandeFactory(unite=unite, dossier=ReadyDossierFactory(), sent_at=sent) for _ in range(15)]
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        for _ in range(6):  # the scheduler (or two of them) placed the periodic task several times
            relancer_demandes.enqueue()
    results = run_workers(2)
    assert all(r.returncode == 0 for r in results), [r.stdout[-1000:] for r in results]
    for demande in demandes:
        actions = sorted(DemandeEvent.objects.filter(demande=demande).values_list("action", flat=True))
        assert actions == ["escalade_referent", "relance"], demande.pk
    assert Notification.objects.filter(user=admissions, title__startswith="Relance").count() == 15
    assert Notification.objects.filter(user=referent, title__startswith="Demande sans réponse").count() == 15
    assert Notification.objects.filter(user=referent, title__startswith="Relance").count() == 0
