"""bin/backup-restore-check dumps the database, restores it into a fresh one and finds the same rows."""

import subprocess

import pytest
from django.conf import settings
from django.db import connection

from tests.factories.demandes import DemandeFactory
from tests.support import processes

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore drill: PostgreSQL only")


def test_backup_is_restored_with_the_same_rows(tmp_path):
    for _ in range(3):
        DemandeFactory()
    result = subprocess.run(
        [settings.BASE_DIR / "bin" / "backup-restore-check", processes.test_database_url()],
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "BACKUP_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: restored copy matches" in result.stdout
    demandes = next(line for line in result.stdout.splitlines() if line.startswith("demandes_demande "))
    assert demandes.split()[1:] == ["3", "3"]
    assert list(tmp_path.iterdir()) == []  # the drill cleans up its dump


def test_a_database_url_that_is_not_postgresql_is_refused():
    result = subprocess.run(
        [settings.BASE_DIR / "bin" / "backup-restore-check", "mysql://nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "usage" in result.stderr
