"""ROR import on the ANS guide's examples (tests/directory/data/ror/), on malformed resources and on re-import."""

import copy
import gzip
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.directory.importers.ror import import_ror
from trajectoire.directory.importers.ror_codes import map_offer
from trajectoire.directory.models import Unite

pytestmark = pytest.mark.django_db

NOS = "https://mos.esante.gouv.fr/NOS/"
CAPACITY = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-location-supported-capacity"


@pytest.fixture
def ror_dir(data_dir):
    return data_dir / "ror"


def load(ror_dir, name):
    return json.loads((ror_dir / name).read_text(encoding="utf-8"))


def capacity(status, number, updated="2024-07-08T18:15:39Z", temporality="01"):
    """A capacity record shaped like the guide's RORLocationExemple1 (TRE_R330 status, TRE_R331 temporality)."""
    code = lambda table, value: {"coding": [{"system": f"{NOS}{table}", "code": value}]}  # noqa: E731
    return {"url": CAPACITY, "extension": [
        {"url": "nbCapacity", "valueInteger": number},
        {"url": "capacityUpdateDate", "valueDateTime": updated},
        {"url": "capacityStatus", "valueCodeableConcept": code("TRE_R330-TypeStatutCapacite", status)},
        {"url": "capacityType", "valueCodeableConcept": code("TRE_R329-NatureCapacite", "01")},
        {"url": "temporalityCapacity", "valueCodeableConcept": code("TRE_R331-TemporaliteCapacite", temporality)},
    ]}  # fmt: skip


@pytest.fixture
def linked_bundle(ror_dir, tmp_path):
    """The three ANS examples in one Bundle, the HealthcareService pointing at the example Organization and Location,
    the Location carrying capacities (15 installed, 3 + 0 available, 9 available « à venir » not counted)."""
    org = load(ror_dir, "ror-organisation-exemple-eg.json")
    loc = load(ror_dir, "ror-location-exemple.json")
    loc["extension"] += [capacity("01", 15), capacity("02", 3), capacity("02", 0), capacity("02", 9, temporality="02")]
    hs = load(ror_dir, "HealthcareService-1234564.json")
    hs["providedBy"] = {"reference": f"Organization/{org['id']}"}
    hs["location"] = [{"reference": f"Location/{loc['id']}"}]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in (hs, org, loc)]}
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


@pytest.fixture
def structure():
    s = StructureFactory(
        finess="458174839", name="Quiétude Bois-Colombes", structure_type="hopital", domain="sanitaire"
    )
    UniteFactory(structure=s, code="principale", name="Établissement", free_places=None)
    return s


def test_the_ans_examples_as_published_report_the_missing_organization(ror_dir, structure):
    files = [ror_dir / n for n in ("HealthcareService-1234564.json", "ror-organisation-exemple-eg.json",
                                   "ror-location-exemple.json")]  # fmt: skip
    report = import_ror(files)
    assert report.read == 3 and report.imported == 0
    assert [(r.line, r.reason) for r in report.rejected] == [
        ("HealthcareService-1234564.json", "HealthcareService 1234564 : Organization/999999 absente des fichiers "
         "ou sans n° FINESS"),
    ]  # fmt: skip


def test_linked_examples_make_a_unit_with_capacity_free_places_and_public(linked_bundle, structure):
    report = import_ror([linked_bundle])
    assert report.imported == 1 and report.rejected_count == 0
    unite = Unite.objects.get(structure=structure, code="ror-1234564")
    assert unite.name == "5812  Chirurgie gynécologique - HOSPITALISATION COMPLETE"
    assert (unite.structure_type, unite.age_min, unite.age_max, unite.capacity) == ("hopital", 15, None, 15)
    assert (unite.free_places, unite.free_places_source) == (3, "ror")
    assert unite.free_places_declared_at.isoformat() == "2024-07-08T18:15:39+00:00"
    assert (unite.description_source, unite.description_updated_at.date().isoformat()) == ("ror", "2025-04-08")
    assert report.unknown_lines() == ["TRE_R211-ActiviteOperationnelle 022 « Chirurgie gynécologique » : 1 offre(s)"]
    assert not structure.unites.get(code="principale").is_active  # replaced by the ROR offer
    structure.refresh_from_db()
    assert structure.habilitation_aide_sociale  # TRE_R241 02 « Habilité Aide Sociale » on the example Organization
    assert report.details["unités FINESS par défaut remplacées"] == 1


def test_reimport_updates_in_place_and_keeps_a_newer_referent_edit(linked_bundle, structure):
    import_ror([linked_bundle])
    unite = Unite.objects.get(code="ror-1234564")
    Unite.objects.filter(pk=unite.pk).update(
        capabilities=["dialyse"], description_source="referent", description_updated_at=timezone.now()
    )
    report = import_ror([linked_bundle])
    assert Unite.objects.filter(structure=structure).count() == 2
    assert (
        report.details["unités mises à jour"] == 1
        and report.details["descriptions du référent plus récentes conservées"] == 1
    )
    unite.refresh_from_db()
    assert unite.capabilities == ["dialyse"] and unite.description_source == "referent"
    Unite.objects.filter(pk=unite.pk).update(description_updated_at=timezone.now() - timedelta(days=9999))
    import_ror([linked_bundle])  # the ROR is now more recent than the référent: it describes the unit again
    unite.refresh_from_db()
    assert unite.capabilities == [] and unite.description_source == "ror"


def test_bulk_ndjson_gzip_with_malformed_resources(ror_dir, tmp_path, structure, capsys):
    org = load(ror_dir, "ror-organisation-exemple-eg.json")
    hs = load(ror_dir, "HealthcareService-1234564.json")
    hs["providedBy"] = {"reference": f"Organization/{org['id']}"}
    orphan, unknown_org, second = copy.deepcopy(hs), copy.deepcopy(hs), copy.deepcopy(hs)
    del orphan["providedBy"]
    orphan["id"] = "2"
    unknown_org["id"], unknown_org["providedBy"] = "3", {"reference": "Organization/inconnue"}
    second["id"] = "4"
    bad_location = {"resourceType": "Location", "id": "L", "extension": [capacity("02", -1)]}
    (tmp_path / "Organization.ndjson").write_text(json.dumps(org) + "\n" + json.dumps(bad_location) + "\n")
    lines = [json.dumps(hs), "{pas du json", json.dumps(orphan), json.dumps(unknown_org), "", json.dumps(second)]
    with gzip.open(tmp_path / "HealthcareService.ndjson.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    out = StringIO()
    call_command("import_ror", str(tmp_path / "HealthcareService.ndjson.gz"), str(tmp_path / "Organization.ndjson"),
                 stdout=out)  # fmt: skip
    text = out.getvalue()
    assert Unite.objects.filter(code__in=["ror-1234564", "ror-4"]).count() == 2
    assert "2 importées, 4 rejetées" in text
    assert "HealthcareService.ndjson.gz:2 : ligne JSON illisible" in text
    assert "HealthcareService.ndjson.gz:3 : HealthcareService 2 sans structure (providedBy)" in text
    assert "HealthcareService.ndjson.gz:4 : HealthcareService 3 : Organization/inconnue absente" in text
    assert "Organization.ndjson:2 : Location L : capacité sans nombre valide (nbCapacity « -1 »)" in text
    assert "TRE_R211-ActiviteOperationnelle 022 « Chirurgie gynécologique » : 2 offre(s)" in text
    assert "lignes lues" in text  # progress


def test_nomenclatures_decide_type_mention_and_capabilities():
    def hs(champ=None, modes=(), activites=(), mentions=()):
        coding = lambda table, code: {"coding": [{"system": f"{NOS}{table}/FHIR/x", "code": code}]}  # noqa: E731
        return {
            "type": [coding("TRE_R227-ChampActivite", champ)] if champ else [],
            "specialty": [coding("TRE_R211-ActiviteOperationnelle", a) for a in activites]
            + [coding("TRE_R383-MentionActDeSoinAmm", m) for m in mentions],
            "characteristic": [coding("TRE_R213-ModePriseEnCharge", m) for m in modes],
        }

    smr = map_offer(hs("02", ["28"], ["170"], ["ME051", "ME999"]), "hopital")
    assert smr.structure_type == "usp"  # palliative care in full hospitalisation
    smr = map_offer(hs("02", ["29"], [], ["ME051", "ME999"]), "hopital")
    assert smr.structure_type == "smr" and smr.domain == "sanitaire" and len(smr.mentions_smr) == 1
    assert ("TRE_R383", "ME999", "") in smr.unknown
    assert map_offer(hs("01", ["31"]), "hopital").structure_type == "had"
    day_care = map_offer(hs("04", ["47"], ["003"]), "ehpad")
    assert (day_care.structure_type, day_care.capabilities) == ("ehpad", ["conduites_addictives", "accueil_de_jour"])
    assert map_offer(hs("03", ["28"]), "").structure_type == ""  # psychiatry: outside Trajectoire


def test_structure_page_says_the_description_and_places_come_from_the_ror(client, linked_bundle, structure):
    import_ror([linked_bundle])
    html = client.get(f"/annuaire/structures/{structure.finess}/").content.decode()
    assert "Description : import ROR, mise à jour le 08/04/2025" in html
    assert "(déclarées le 08/07/2024 à 20:15 par import ROR)" in html


def test_intervention_zone_limits_home_care_to_its_territory(communes, tmp_path):
    from trajectoire.directory.search import Criteres, search

    had = StructureFactory(finess="690000029", name="HAD du Rhône", structure_type="had", domain="sanitaire",
                           latitude=45.75, longitude=4.85)  # fmt: skip
    sd = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"

    def part(url, code, flat=False):  # flat: system/code on the concept itself, as in an ANS documentation sample
        return {"url": url, "valueCodeableConcept": {"code": code} if flat else {"coding": [{"code": code}]}}

    zone = [
        {"url": sd + "ror-territorial-division",
         "extension": [part("typeTerritorialDivision", "2"), part("codeTerritorialDivision", "69", flat=True)]},
        {"url": sd + "ror-healthcareservice-intervention-zone",
         "extension": [part("type", "3"), part("code", "01053")]},
        {"url": sd + "ror-territorial-division",
         "extension": [part("typeTerritorialDivision", "4"), part("codeTerritorialDivision", "TS-69")]},
    ]  # fmt: skip
    org = {"resourceType": "Organization", "id": "o", "identifier": [{"system": "https://finess.esante.gouv.fr",
                                                                      "value": had.finess}]}  # fmt: skip
    hs = {"resourceType": "HealthcareService", "id": "had", "providedBy": {"reference": "Organization/o"},
          "name": "HAD", "extension": zone,
          "characteristic": [{"coding": [{"system": f"{NOS}TRE_R213-ModePriseEnCharge/FHIR/x",
                                          "code": "31"}]}]}  # fmt: skip
    path = tmp_path / "had.ndjson"
    path.write_text(json.dumps(org) + "\n" + json.dumps(hs) + "\n")
    report = import_ror([path])
    unite = Unite.objects.get(code="ror-had")
    assert (unite.structure_type, unite.zone_intervention) == ("had", ["D:69", "C:01053"])
    assert "TRE_R201-TypeDivisionTerritoriale 4 « TS-69 » : 1 offre(s)" in report.unknown_lines()
    lyon = search(Criteres(structure_type="had", insee="69381", radius_km=100))
    assert lyon.resultats[0].unite == unite and "Intervient dans cette commune" in lyon.resultats[0].matched
    assert search(Criteres(structure_type="had", insee="01053", radius_km=100)).total == 1
    saint_etienne = search(Criteres(structure_type="had", insee="42218", radius_km=100))
    assert saint_etienne.total == 0 and saint_etienne.exclus[0].reasons == ["Hors de sa zone d’intervention"]
