"""Directory resources: FINESS/RPPS identifiers, near search, units with their free places, no N+1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import MembershipFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.audit.models import AuditEvent
from trajectoire.directory.enums import Domain, MentionSMR, StructureType
from trajectoire.directory.models import Unite

from .conftest import data_queries

pytestmark = pytest.mark.django_db
FINESS = "urn:oid:1.2.250.1.71.4.2.2"


def test_organization_by_finess(ehpad_api, ehpad):
    StructureFactory(finess="010000002", name="Autre")
    bundle = ehpad_api.get(f"/fhir/Organization?identifier={FINESS}|010000001").resource
    assert [e["resource"]["name"] for e in bundle["entry"]] == ["EHPAD Les Tilleuls"]
    assert bundle["entry"][0]["resource"]["identifier"][0] == {
        "use": "official",
        "system": FINESS,
        "value": "010000001",
    }
    assert ehpad_api.get("/fhir/Organization?identifier=http://autre|010000001").resource["entry"] == []
    read = ehpad_api.get(f"/fhir/Organization/{ehpad.pk}")
    assert read.status_code == 200 and read.resource["name"] == "EHPAD Les Tilleuls"


def test_location_near_sorts_by_distance_and_drops_the_far(ehpad_api):
    StructureFactory(name="Lyon", latitude=45.76, longitude=4.84)
    StructureFactory(name="Villeurbanne", latitude=45.77, longitude=4.88)
    StructureFactory(name="Marseille", latitude=43.3, longitude=5.37)
    bundle = ehpad_api.get("/fhir/Location?near=45.764|4.835|20|km").resource
    assert [e["resource"]["name"] for e in bundle["entry"]] == ["Lyon", "Villeurbanne"]
    assert bundle["entry"][0]["resource"]["position"] == {"latitude": 45.76, "longitude": 4.84}
    for bad in ("NaN|4|10", "45|4|inf", "91|4|10", "45|4|10|mi", "abc", "45|4|0"):
        assert ehpad_api.get(f"/fhir/Location?near={bad}").status_code == 400, bad


def test_healthcare_service_carries_what_a_unit_takes_and_its_places(ehpad_api, ehpad):
    smr = StructureFactory(name="SMR", structure_type=StructureType.SMR, domain=Domain.SANITAIRE)
    unit = UniteFactory(
        structure=smr, mentions_smr=[MentionSMR.LOCOMOTEUR.value], capabilities=["o2"], age_min=18, age_max=90
    )
    UniteFactory(structure=ehpad)
    resource = ehpad_api.get(f"/fhir/HealthcareService/{unit.pk}").resource
    assert resource["category"][0]["coding"][0]["code"] == Domain.SANITAIRE.value
    assert resource["specialty"][0]["coding"][0] == {
        "system": "https://trajectoire.sante.fr/fhir/CodeSystem/mention-smr",
        "code": MentionSMR.LOCOMOTEUR.value,
        "display": MentionSMR.LOCOMOTEUR.label,
    }
    assert resource["characteristic"][0]["coding"][0]["code"] == "o2"
    extensions = {e["url"].rsplit("/", 1)[1]: e for e in resource["extension"]}
    assert extensions["tranche-age"]["valueRange"]["low"]["value"] == 18
    places = {p["url"]: p for p in extensions["places-disponibles"]["extension"]}
    assert places["nombre"]["valueUnsignedInt"] == 2
    found = ehpad_api.get(f"/fhir/HealthcareService?specialty={MentionSMR.LOCOMOTEUR.value}").resource["entry"]
    assert [e["resource"]["id"] for e in found] == [str(unit.pk)]
    assert len(ehpad_api.get("/fhir/HealthcareService?characteristic=o2").resource["entry"]) == 1


def test_structure_software_declares_free_places(ehpad_api, unite):
    patch = [{"op": "replace", "path": "/extension/1/extension/0/valueUnsignedInt", "value": 5}]
    response = ehpad_api.patch(f"/fhir/HealthcareService/{unite.pk}", patch)
    assert response.status_code == 200, response.content
    unite.refresh_from_db()
    assert unite.free_places == 5 and unite.free_places_declared_at is not None
    assert AuditEvent.objects.filter(object_type="directory.unite", details__source="api").exists()
    too_many = [{"op": "replace", "path": "/extension/1/extension/0/valueUnsignedInt", "value": 500}]
    refused = ehpad_api.patch(f"/fhir/HealthcareService/{unite.pk}", too_many)
    assert refused.status_code == 422
    assert "capacité" in refused.resource["issue"][0]["diagnostics"]


def test_another_structures_unit_cannot_be_declared(ehpad_api):
    other = UniteFactory()
    body = {"resourceType": "HealthcareService", "extension": []}
    assert ehpad_api.put(f"/fhir/HealthcareService/{other.pk}", body).status_code == 403


def test_practitioner_by_rpps_and_roles(ehpad_api, ehpad, doctor):
    MembershipFactory(structure=ehpad, user=doctor, medical=True)
    bundle = ehpad_api.get(f"/fhir/Practitioner?identifier=urn:oid:1.2.250.1.71.4.2.1|{doctor.rpps}").resource
    assert bundle["entry"][0]["resource"]["name"][0]["family"] == "Martin"
    roles = ehpad_api.get(f"/fhir/PractitionerRole?organization=Organization/{ehpad.pk}").resource["entry"]
    medical = [
        r["resource"] for r in roles if r["resource"]["practitioner"]["reference"] == f"Practitioner/{doctor.pk}"
    ]
    assert medical[0]["code"][0]["coding"][0]["code"] == "medical"


@pytest.mark.parametrize("path", ["Organization", "Location", "HealthcareService", "PractitionerRole"])
def test_directory_searches_run_a_constant_number_of_queries(ehpad_api, path):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert ehpad_api.get(f"/fhir/{path}?_count=50").status_code == 200
        return len(data_queries(ctx))

    UniteFactory()
    MembershipFactory(admissions=True)
    few = queries()
    for _ in range(6):
        MembershipFactory(structure=UniteFactory().structure, admissions=True)
    assert queries() == few


def test_pages_follow_next_links(ehpad_api):
    for _ in range(5):
        UniteFactory()
    first = ehpad_api.get("/fhir/HealthcareService?_count=2").resource
    seen = [e["resource"]["id"] for e in first["entry"]]
    url = next(link["url"] for link in first["link"] if link["relation"] == "next")
    while url:
        page = ehpad_api.get(url.removeprefix("http://testserver")).resource
        seen += [e["resource"]["id"] for e in page["entry"]]
        url = next((link["url"] for link in page["link"] if link["relation"] == "next"), None)
    assert sorted(seen, key=int) == [str(pk) for pk in Unite.objects.order_by("pk").values_list("pk", flat=True)]
