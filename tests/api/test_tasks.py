"""Task = demande: the worklist, answers through the services, the state machine's refusals, If-Match."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.demandes import ReadyDossierFactory
from tests.factories.directory import UniteFactory
from trajectoire.audit.models import AuditEvent
from trajectoire.demandes import services
from trajectoire.demandes.enums import MotifRefus, Statut

from .conftest import data_queries

pytestmark = pytest.mark.django_db
CS = "https://trajectoire.sante.fr/fhir/CodeSystem"


def business(code):
    return {"coding": [{"system": f"{CS}/statut-demande", "code": code}]}


@pytest.fixture
def sent(doctor, unite):
    """A Grand Âge dossier sent to the EHPAD's unit and to another EHPAD."""
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    other = UniteFactory()
    mine, theirs = services.send(dossier, [unite, other], by=doctor)
    return mine, theirs


def test_worklist_with_includes_shows_only_the_structures_demandes(ehpad_api, sent, unite):
    mine, theirs = sent
    url = f"/fhir/Task?owner=HealthcareService/{unite.pk}&status=requested&_include=Task:focus&_include=Task:patient"
    bundle = ehpad_api.get(url).resource
    modes = [(e["search"]["mode"], e["resource"]["resourceType"]) for e in bundle["entry"]]
    assert modes == [("match", "Task"), ("include", "ServiceRequest"), ("include", "Patient")]
    task = bundle["entry"][0]["resource"]
    assert task["id"] == str(mine.pk)
    assert task["businessStatus"]["coding"][0] == {
        "system": f"{CS}/statut-demande",
        "code": "envoyee",
        "display": "Envoyée",
    }
    assert task["focus"]["reference"] == f"ServiceRequest/{mine.dossier_id}"
    assert ehpad_api.get(f"/fhir/Task/{theirs.pk}").status_code == 404
    assert [e["resource"]["id"] for e in ehpad_api.get("/fhir/Task").resource["entry"]] == [str(mine.pk)]
    audit = AuditEvent.objects.filter(object_type="fhir.task").latest("pk")
    assert audit.details["ids"] == [mine.pk] and audit.details["api_client"]
    included = AuditEvent.objects.get(object_type="fhir.patient")
    assert included.details == {"ids": [mine.dossier.patient_id], "api_client": audit.details["api_client"]}
    since = (timezone.now() + dt.timedelta(minutes=1)).isoformat().replace("+", "%2B")
    assert ehpad_api.get(f"/fhir/Task?_lastUpdated=gt{since}").resource["entry"] == []


def test_worklist_audit_rows_are_written_together_once_the_bundle_is_built(ehpad_api, sent, monkeypatch):
    """The page's and the includes' audit rows: the same three rows, in one INSERT; none when the request fails."""
    mine, _ = sent
    url = "/fhir/Task?_include=Task:focus&_include=Task:patient"
    before = AuditEvent.objects.order_by("pk").last().pk
    with CaptureQueriesContext(connection) as ctx:
        assert ehpad_api.get(url).status_code == 200
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditevent"')]
    assert len(inserts) == 1
    rows = list(AuditEvent.objects.filter(pk__gt=before).order_by("pk"))
    assert [(e.action, e.object_type, e.object_id, e.details["ids"]) for e in rows] == [
        ("view", "fhir.servicerequest", "", [mine.dossier_id]),
        ("view", "fhir.patient", "", [mine.dossier.patient_id]),
        ("view", "fhir.task", "", [mine.pk]),
    ]
    assert len({e.request_id for e in rows}) == 1 and all(e.actor_id == rows[0].actor_id for e in rows)

    def broken(*args):
        raise RuntimeError("serialisation")

    monkeypatch.setattr("trajectoire.api.resources.referral.patient", broken)  # after the dossiers were read
    response = ehpad_api.get(url)
    assert response.status_code == 500 and response.resource["resourceType"] == "OperationOutcome"
    assert AuditEvent.objects.filter(pk__gt=before).count() == 3  # nothing of the failed request


def test_worklist_query_count_does_not_grow(ehpad_api, doctor, unite):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = ehpad_api.get("/fhir/Task?_include=Task:focus&_include=Task:patient&_count=50")
            assert response.status_code == 200
        return len(data_queries(ctx))

    def send_one():
        dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
        services.send(dossier, [unite], by=doctor)

    send_one()
    few = queries()
    for _ in range(5):
        send_one()
    assert queries() == few


def test_structure_accepts_by_json_patch_through_the_service(ehpad_api, sent, structure_software):
    mine, _ = sent
    current = ehpad_api.get(f"/fhir/Task/{mine.pk}")
    etag = current["ETag"]
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    output = {"type": {"coding": [{"system": f"{CS}/sortie-demande", "code": "date-admission-proposee"}]}}
    patch = [
        {"op": "replace", "path": "/status", "value": "accepted"},
        {"op": "replace", "path": "/businessStatus", "value": business("acceptee")},
        {"op": "add", "path": "/output", "value": [{**output, "valueDate": day}]},
    ]
    response = ehpad_api.patch(f"/fhir/Task/{mine.pk}", patch, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.resource["status"] == "accepted"
    assert response["ETag"] != etag
    mine.refresh_from_db()
    assert mine.statut == Statut.ACCEPTEE and mine.date_admission_proposee.isoformat() == day
    assert mine.events.latest("at").actor == structure_software[0].user
    stale = ehpad_api.patch(f"/fhir/Task/{mine.pk}", patch, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


def test_state_machine_refusal_is_a_409_in_french(ehpad_api, sent):
    mine, _ = sent
    body = ehpad_api.get(f"/fhir/Task/{mine.pk}").resource
    body.update(
        status="rejected",
        businessStatus=business("refusee"),
        statusReason={"coding": [{"system": f"{CS}/motif-refus", "code": MotifRefus.PAS_DE_PLACE}], "text": "Complet"},
    )
    assert ehpad_api.put(f"/fhir/Task/{mine.pk}", body).status_code == 200
    mine.refresh_from_db()
    assert mine.statut == Statut.REFUSEE and mine.motif_refus == MotifRefus.PAS_DE_PLACE
    refused = ehpad_api.get(f"/fhir/Task/{mine.pk}").resource
    assert refused["statusReason"]["coding"][0]["code"] == "pas_de_place"
    body.update(status="accepted", businessStatus=business("acceptee"))
    conflict = ehpad_api.put(f"/fhir/Task/{mine.pk}", body)
    assert conflict.status_code == 409
    assert "Action impossible : la demande est « Refusée »" in conflict.resource["issue"][0]["diagnostics"]


def test_rule_refusals_are_422(ehpad_api, sent):
    mine, _ = sent
    body = {"resourceType": "Task", "status": "accepted", "businessStatus": business("acceptee")}
    no_date = ehpad_api.put(f"/fhir/Task/{mine.pk}", body)
    assert no_date.status_code == 422
    assert no_date.resource["issue"][0]["diagnostics"] == "Indiquez la date d’admission proposée."
    mismatch = ehpad_api.put(f"/fhir/Task/{mine.pk}", {**body, "status": "rejected"})
    assert mismatch.status_code == 422
    unknown = ehpad_api.put(f"/fhir/Task/{mine.pk}", {**body, "businessStatus": business("n’importe")})
    assert unknown.status_code == 422
    not_mine = ehpad_api.put(f"/fhir/Task/{mine.pk}", {**body, "businessStatus": business("admission_confirmee"),
                                                        "status": "ready"})  # fmt: skip
    assert not_mine.status_code == 409  # a sender's action
    bad_patch = ehpad_api.patch(f"/fhir/Task/{mine.pk}", [{"op": "replace", "path": "/nope/0", "value": 1}])
    assert bad_patch.status_code == 422
    mine.refresh_from_db()
    assert mine.statut == Statut.ENVOYEE


def test_prescriber_confirms_and_the_other_demandes_close(doctor_api, sent, doctor):
    mine, theirs = sent
    services.accept(theirs, _staff(theirs), timezone.localdate() + dt.timedelta(days=3))
    tasks = doctor_api.get("/fhir/Task?status=accepted").resource["entry"]
    assert [e["resource"]["id"] for e in tasks] == [str(theirs.pk)]
    body = {"resourceType": "Task", "status": "ready", "businessStatus": business("admission_confirmee")}
    response = doctor_api.put(f"/fhir/Task/{theirs.pk}", body)
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert mine.statut == Statut.CLOTUREE
    closed = doctor_api.get(f"/fhir/Task/{mine.pk}").resource
    assert closed["status"] == "cancelled" and closed["statusReason"]["coding"][0]["code"] == "admis_ailleurs"


def _staff(demande):
    from tests.factories.accounts import MembershipFactory

    return MembershipFactory(structure=demande.structure, admissions=True).user


def test_every_statut_has_a_task_status():
    from trajectoire.api.resources.task import TASK_STATUS
    from trajectoire.api.resources.task_update import TRANSITION_FOR

    assert set(TASK_STATUS) == set(Statut)
    assert set(TRANSITION_FOR) == set(Statut) - {Statut.ENVOYEE}


def test_included_service_requests_read_the_same_keys_as_the_direct_read(ehpad_api, sent):
    """The worklist’s include reads the sections as rows (`with_sections`): the same resource as
    `GET /fhir/ServiceRequest/<id>`, which decodes the sections' whole data (urgency, desired date, text and
    non-text values, a key absent or null)."""
    from trajectoire.dossiers.models import Section

    mine, _ = sent
    sections = list(Section.objects.filter(dossier_id=mine.dossier_id).order_by("pk"))
    for data in (
        {"urgence": "urgente", "date_entree_souhaitee": "2026-12-24", "autre": {"n": 1}},
        {"urgence": "normale", "date_entree_souhaitee": None},
        {"date_entree_souhaitee": "2027-01-05T10:00:00", "urgence": ""},
        {"rempli": True},
    ):
        Section.objects.filter(pk=sections[0].pk).update(data=data)
        direct = ehpad_api.get(f"/fhir/ServiceRequest/{mine.dossier_id}").resource
        bundle = ehpad_api.get("/fhir/Task?_include=Task:focus").resource
        (included,) = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
        assert included == direct, data
    assert direct.get("priority") == "routine" and "occurrenceDateTime" not in direct
