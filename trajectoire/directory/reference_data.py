"""Where the national reference data lives (FINESS, communes, CNSA prices) and a check that it is there.

The files are not in the repository: they come from `shared/data/` beside the project (the layout of the
development machines and of CI) or from the folder named by the `REFERENCE_DATA_DIR` environment variable.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from trajectoire.core.demo_registry import DemoDataUnavailable

# How to point the platform at the data, appended to every French message about a missing file.
HOW_TO_FIX = "l’emplacement des données de référence : REFERENCE_DATA_DIR=/chemin/vers/shared/data"


def data_dir() -> Path:
    return Path(settings.REFERENCE_DATA_DIR)


def required_files() -> dict[str, str]:
    """Label → glob pattern relative to the data folder, for every file the demo loads."""
    return {
        "communes (La Poste)": "communes/laposte_hexasmal_2022.csv",
        "établissements FINESS (archives FHIR)": "finess/etab*.tar.gz",
        "prix des EHPAD (CNSA)": "cnsa/cnsa-export-prix-ehpad-2019-brute.latin1.csv",
    }


def missing_files() -> list[str]:
    root = data_dir()
    return [label for label, pattern in required_files().items() if not any(root.glob(pattern))]


class ReferenceDataMissing(DemoDataUnavailable):
    """The reference data folder is absent or incomplete; the message says, in French, how to fix it."""


def ensure_reference_data() -> None:
    missing = missing_files()
    if missing:
        raise ReferenceDataMissing(
            f"Données de référence introuvables dans {data_dir()} : {', '.join(missing)}. "
            f"Placez le dossier shared/ (qui contient data/) à côté du projet, ou indiquez {HOW_TO_FIX} make run"
        )
