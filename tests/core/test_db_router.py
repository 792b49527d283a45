"""Annuaire reads go to the replica alias when one is configured; everything else stays on the primary."""

import warnings

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import UserFactory
from tests.factories.directory import CommuneFactory, StructureFactory
from trajectoire.accounts.models import User
from trajectoire.core.db_router import REPLICA, replica_reads
from trajectoire.directory.models import Structure

pytestmark = pytest.mark.django_db(transaction=True)  # the replica connection sees committed rows only


@pytest.fixture
def replica(settings):
    """A second alias on the same database, as DATABASE_REPLICA_URL would add (a replica holds the same rows)."""
    settings_dict = dict(connections["default"].settings_dict)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overriding DATABASES: only the router reads it here
        settings.DATABASES = {**settings.DATABASES, REPLICA: settings_dict}
    replica = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=REPLICA)
    connections[REPLICA] = replica
    yield replica
    replica.close()
    del connections[REPLICA]


def test_annuaire_reads_go_to_the_replica_others_stay_on_the_primary(replica):
    structure = StructureFactory(name="EHPAD Les Tilleuls")
    user = UserFactory()
    with replica_reads(), CaptureQueriesContext(replica) as on_replica:
        assert Structure.objects.get(pk=structure.pk).name == "EHPAD Les Tilleuls"
        assert User.objects.get(pk=user.pk) == user  # sessions, users: always the primary
    assert len(on_replica) == 1 and "directory_structure" in on_replica[0]["sql"]
    with CaptureQueriesContext(replica) as outside:
        Structure.objects.get(pk=structure.pk)  # not in a replica-safe request: primary
        Structure.objects.filter(pk=structure.pk).update(name="EHPAD Les Lilas")  # writes: primary
    assert outside.captured_queries == []


def test_the_public_annuaire_page_reads_from_the_replica(client, replica):
    CommuneFactory(insee="01053", name="Bourg-en-Bresse")
    StructureFactory(name="EHPAD Les Tilleuls")  # Bourg-en-Bresse
    search = {"commune": "Bourg-en-Bresse", "insee": "01053", "radius_km": 30, "structure_type": "ehpad"}
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get("/annuaire/", search)
    assert response.status_code == 200
    assert on_replica.captured_queries
    with CaptureQueriesContext(replica) as posted:
        client.post("/annuaire/", {})
    assert posted.captured_queries == []
    assert all("directory_" in q["sql"] for q in on_replica.captured_queries)


def test_without_a_replica_everything_uses_the_primary():
    structure = StructureFactory()
    with replica_reads():
        assert Structure.objects.get(pk=structure.pk).pk == structure.pk
    assert REPLICA not in connections
