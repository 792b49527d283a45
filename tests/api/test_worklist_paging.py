"""The worklist's page is cut on the demandes' own columns, then loaded: same order and pages as one query."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.demandes import DemandeFactory
from trajectoire.api.search import page
from trajectoire.demandes.models import Demande

pytestmark = pytest.mark.django_db


@pytest.fixture
def worklist(unite):
    now = timezone.now()
    # Ties on status_changed_at (the pk decides) and demandes of another unit in between.
    times = [now - dt.timedelta(minutes=m) for m in (5, 1, 1, 9, 3, 1, 7)]
    return [DemandeFactory(unite=unite, status_changed_at=at) for at in times] + DemandeFactory.create_batch(2)


def test_page_equals_the_slice_of_the_queryset(worklist, unite):
    queryset = (
        Demande.objects.filter(unite=unite).select_related("dossier", "unite").order_by("-status_changed_at", "-pk")
    )
    for offset in range(0, 9):
        for size in (1, 2, 3, 21):
            assert page(queryset, offset, size) == list(queryset[offset : offset + size])


def test_the_worklist_pages_in_order_with_their_resources(ehpad_api, worklist, unite):
    expected = [str(d.pk) for d in Demande.objects.filter(unite=unite).order_by("-status_changed_at", "-pk")]
    seen, url = [], "/fhir/Task?status=requested&_count=3"
    while url:
        bundle = ehpad_api.get(url.removeprefix("http://testserver")).resource
        seen += [e["resource"]["id"] for e in bundle["entry"]]
        assert all(e["resource"]["owner"]["reference"] == f"HealthcareService/{unite.pk}" for e in bundle["entry"])
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    assert seen == expected


def test_included_resources_are_the_direct_reads(ehpad_api, unite, doctor):
    """The _include path (sections read without model instances) serialises as GET ServiceRequest/Patient."""
    from tests.factories.demandes import ReadyDossierFactory
    from trajectoire.demandes import services
    from trajectoire.dossiers.models import Section

    for urgence in ("urgente", None):
        dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
        section = Section.objects.filter(dossier=dossier).order_by("pk").last()
        section.data = {**section.data, "urgence": urgence, "date_souhaitee": "2030-01-02"}
        section.save()
        services.send(dossier, [unite], by=doctor)
    bundle = ehpad_api.get("/fhir/Task?_include=Task:focus&_include=Task:patient").resource
    included = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert {r["resourceType"] for r in included} == {"ServiceRequest", "Patient"} and len(included) == 4
    for resource in included:
        assert resource == ehpad_api.get(f"/fhir/{resource['resourceType']}/{resource['id']}").resource
    assert {r.get("priority") for r in included if r["resourceType"] == "ServiceRequest"} == {"urgent", "routine"}
