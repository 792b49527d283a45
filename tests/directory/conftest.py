from pathlib import Path

import pytest

from trajectoire.directory.importers.communes import import_communes

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir():
    return DATA


@pytest.fixture
def communes(db):
    """A few real communes (Ain, Rhône, Loire, Isère, Réunion, Paris) from the La Poste file."""
    import_communes(DATA / "communes.csv")
