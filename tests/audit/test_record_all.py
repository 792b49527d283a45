"""`event` + `record_all`: the rows `record` writes, in one INSERT, in their order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import UserFactory
from trajectoire.audit.models import AuditEvent
from trajectoire.audit.services import event, record, record_all

pytestmark = pytest.mark.django_db

FIELDS = ("actor_id", "action", "means", "success", "object_type", "object_id", "ip", "request_id", "details")


def test_record_all_writes_the_rows_record_writes_in_one_statement():
    user = UserFactory()
    calls = [
        {"actor": user, "object_type": "fhir.servicerequest", "ids": [3, 1], "api_client": "c"},
        {"actor": user, "obj": user, "success": False},
        {"actor": None, "object_type": "fhir.task", "object_id": 7, "means": "password"},
    ]
    for kw in calls:
        record("view", **kw)
    written = [{f: getattr(e, f) for f in FIELDS} for e in AuditEvent.objects.order_by("pk")]
    AuditEvent.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        record_all([event("view", **kw) for kw in calls])
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT"]  # no transaction around it
    rows = list(AuditEvent.objects.order_by("pk"))
    assert [{f: getattr(e, f) for f in FIELDS} for e in rows] == written
    assert all(e.at is not None for e in rows)
    with CaptureQueriesContext(connection) as ctx:
        record_all([])
    assert not ctx.captured_queries
