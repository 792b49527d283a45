"""Every page that reads a dossier, a patient or a demande leaves an audit event (issue 14, item 10).

The patterns are walked from the URL resolver (tests/fuzz/urls.py): a new view taking such an id is checked
without a new test. Each page is opened by every role; each answer 200 must have written an event.
"""

import pytest
from django.test import Client

from tests.fuzz.urls import paths, routes
from tests.fuzz.world import build_world
from trajectoire.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PATIENT_DATA_ARGS = {"dossier_id", "demande_id"}
PATIENT_DATA_NAMESPACES = {"dossiers", "patients", "demandes", "usagers"}  # where `pk` is one of those
ADMIN_MODELS = ("patients_patient", "dossiers_dossier")


def _reads_patient_data(route) -> bool:
    if route.name.startswith("admin:"):
        return any(route.name.startswith(f"admin:{m}_") for m in ADMIN_MODELS) and not route.name.endswith("_add")
    namespace = route.name.split(":")[0]
    return bool(PATIENT_DATA_ARGS & set(route.args)) or ("pk" in route.args and namespace in PATIENT_DATA_NAMESPACES)


def test_every_page_reading_patient_data_is_audited():
    import random

    world = build_world()
    rng = random.Random(10)
    checked, missing = set(), []
    for route in filter(_reads_patient_data, routes()):
        good, _ = paths(route, world, rng)
        for role, user in world.users.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            for path in good:
                before = AuditEvent.objects.count()
                response = client.get(path)
                if response.status_code != 200:
                    continue
                checked.add(route.name)
                if AuditEvent.objects.count() == before:
                    missing.append(f"{role} GET {path} ({route.name})")
    assert not missing, "pages reading patient data without an audit event:\n" + "\n".join(missing)
    # The walk reached the pages that matter (not only refusals):
    for name in (
        "dossiers:detail",
        "patients:detail",
        "demandes:detail",
        "demandes:envoyer",
        "usagers:dossier",
        "admin:patients_patient_change",
        "admin:dossiers_dossier_change",
        "admin:patients_patient_changelist",
    ):
        assert name in checked, name  # fmt: skip
