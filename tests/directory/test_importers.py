import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trajectoire.directory.enums import Domain, StructureType
from trajectoire.directory.importers.communes import import_communes
from trajectoire.directory.importers.finess import import_finess
from trajectoire.directory.importers.prix import import_prix_ehpad
from trajectoire.directory.models import Commune, PrixEhpad, Structure, Unite
from trajectoire.directory.services import prix_mensuel_ehpad

pytestmark = pytest.mark.django_db


def test_communes_grouped_by_insee_with_all_postal_codes(communes, data_dir):
    saint_etienne = Commune.objects.get(insee="42218")
    assert saint_etienne.postal_codes == "42000,42100,42230"
    assert saint_etienne.search_name == "saint etienne"
    assert saint_etienne.departement == "42"
    assert Commune.objects.get(insee="97411").departement == "974"
    before = Commune.objects.count()
    import_communes(data_dir / "communes.csv")  # idempotent
    assert Commune.objects.count() == before


def test_cs1100507_official_format_with_malformed_lines_and_overseas_utm(communes, data_dir):
    out = StringIO()
    call_command("import_finess", str(data_dir / "etalab-cs1100507.csv"), stdout=out)
    ehpad = Structure.objects.get(finess="010002228")
    assert ehpad.structure_type == StructureType.EHPAD and ehpad.domain == Domain.GRAND_AGE
    assert ehpad.commune.insee == "01053"
    assert ehpad.category_label.startswith("Etablissement d'hébergement pour personnes âgées")  # latin-1 line
    assert 46.1 < ehpad.latitude < 46.3 and 5.1 < ehpad.longitude < 5.4  # Lambert-93 → Bourg-en-Bresse
    smr = Structure.objects.get(finess="970400011")
    assert smr.departement == "974" and smr.commune.insee == "97411"
    assert -21.2 < smr.latitude < -20.9 and 55.2 < smr.longitude < 55.4  # UTM 40S → Saint-Paul, La Réunion
    assert smr.unites.get().structure_type == StructureType.SMR
    text = out.getvalue()
    assert "2 importées, 4 rejetées" in text
    assert "etalab-cs1100507.csv:4 : section structureet : 6 champs au lieu de 30" in text
    assert "etalab-cs1100507.csv:5 : n° FINESS invalide « 69XX00001 »" in text
    assert "etalab-cs1100507.csv:8 : géolocalisation d’une structure absente (010099999)" in text
    assert "etalab-cs1100507.csv:9 : section geolocalisation : 2 champs au lieu de 5" in text


def test_fhir_archive_and_reimport_updates_without_duplicates(communes, data_dir):
    report = import_finess(data_dir / "fhir-sample.tar.gz")
    assert report.imported == 3
    assert [(r.line, r.reason) for r in report.rejected] == [
        ("fhir.ndjson:7", "ligne JSON illisible"),
        ("fhir.ndjson:8", "Location sans Organization correspondante (nope)"),
    ]
    hopital = Structure.objects.get(finess="010000024")
    assert hopital.structure_type == StructureType.HOPITAL
    assert hopital.commune.insee == "01451" and hopital.phone == "04 74 45 46 47"
    assert round(hopital.latitude, 2) == 46.22
    unit = hopital.unites.get()
    unit.capabilities = ["dialyse"]
    unit.free_places = 3
    unit.save()
    Structure.objects.filter(pk=hopital.pk).update(name="ANCIEN NOM")
    import_finess(data_dir / "fhir-sample.tar.gz")
    assert Structure.objects.count() == 3 and Unite.objects.count() == 3
    hopital.refresh_from_db()
    assert hopital.name == "CH DE FLEYRIAT"
    assert hopital.unites.get().capabilities == ["dialyse"]  # référents' edits survive a re-import


def test_headered_etalab_csv_with_damaged_accents(communes, data_dir):
    report = import_finess(data_dir / "etalab-headered.csv")
    assert report.imported == 5
    assert report.rejected[0].line == "etalab-headered.csv:7"
    assert "champs au lieu de 42" in report.rejected[0].reason
    gex = Structure.objects.get(finess="010000081")
    assert gex.commune.insee == "01173"
    assert 46.3 < gex.latitude < 46.4 and 6.0 < gex.longitude < 6.1
    assert "\ufffd" in gex.category_label  # kept as found, no crash


def test_unknown_format_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("hello;world\n")
    with pytest.raises(Exception, match="format FINESS non reconnu"):
        call_command("import_finess", str(bad), stdout=StringIO())


def test_prix_import_latin1_decimal_comma_null_and_monthly_cost(data_dir, tmp_path):
    source = tmp_path / "cnsa-export-prix-ehpad-2019-brute.latin1.csv"  # the year of the prices is in the name
    source.write_bytes((data_dir / "prix.latin1.csv").read_bytes())
    report = import_prix_ehpad(source)
    assert report.imported == 2 and report.rejected_count == 2
    assert report.rejected[0].reason == "n° FINESS invalide « 01BADXXXX »"
    assert report.rejected[1].reason == "prixHebPermCs : nombre invalide « abc »"
    prix = PrixEhpad.objects.get(finess="010002228")
    assert prix.heb_perm_seule == Decimal("99.6") and prix.heb_perm_seule_as is None
    assert prix.tarif_gir_56 == Decimal("5.56")
    assert "sous-vêtements" in prix.prestations
    cost = prix_mensuel_ehpad("010002228")
    # (99.60 + 5.56) × 30.42 = 3199 € before aids, whatever the GIR; prices of the 2019 file
    assert (cost.hebergement, cost.tarif_dependance, cost.total, cost.annee) == (3030, 169, 3199, 2019)
    assert prix.annee_source == 2019
    assert prix_mensuel_ehpad("000000000") is None


def test_prix_marks_structure_habilitee_aide_sociale(data_dir):
    from tests.factories.directory import StructureFactory

    ehpad = StructureFactory(finess="010006799", habilitation_aide_sociale=False)
    import_prix_ehpad(data_dir / "prix.latin1.csv")
    ehpad.refresh_from_db()
    assert ehpad.habilitation_aide_sociale
    assert prix_mensuel_ehpad(ehpad, aide_sociale=True).aide_sociale


def test_missing_reference_data_is_a_clear_french_error(tmp_path, settings):
    settings.REFERENCE_DATA_DIR = str(tmp_path / "nulle-part")
    with pytest.raises(CommandError, match=r"Aucune archive FINESS.*REFERENCE_DATA_DIR"):
        call_command("import_finess", stdout=StringIO())
    with pytest.raises(CommandError, match=r"fichier introuvable : .*absent\.csv"):
        call_command("import_communes", str(tmp_path / "absent.csv"), stdout=StringIO())


@pytest.mark.django_db
def test_demo_without_reference_data_stops_with_the_fix(tmp_path, settings):
    settings.REFERENCE_DATA_DIR = str(tmp_path)
    (tmp_path / "communes").mkdir()
    (tmp_path / "communes" / "laposte_hexasmal_2022.csv").write_text("")
    with pytest.raises(CommandError) as caught:
        call_command("demo", stdout=StringIO())
    message = str(caught.value)
    assert "établissements FINESS" in message and "prix des EHPAD" in message
    assert "communes" not in message.split(":", 1)[1].split(".")[0]
    assert "REFERENCE_DATA_DIR=" in message


def _fhir_structure(finess: str, postal_code: str, city: str) -> str:
    org = {
        "resourceType": "Organization",
        "id": f"690000000-{finess}",
        "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.2", "value": finess}],
        "name": f"EHPAD {finess}",
        "type": [{"coding": [{"system": "http://finess.sante.gouv.fr/valuesets/CAT_ETAB", "code": "500"}]}],
        "address": [{"postalCode": postal_code, "city": city}],
    }
    return json.dumps(org) + "\n"


def test_cedex_codes_resolve_the_commune(communes, data_dir, tmp_path, settings):
    """The FHIR FINESS extract has no INSEE code: a CEDEX postal code is resolved by La Poste's CEDEX list."""
    settings.REFERENCE_DATA_DIR = str(tmp_path)
    (tmp_path / "communes").mkdir()
    (tmp_path / "communes" / "liste-des-cedex.csv").write_bytes((data_dir / "cedex.csv").read_bytes())
    path = tmp_path / "cedex.ndjson"
    path.write_text(
        _fhir_structure("690000011", "69444", "LYON CEDEX 03")
        + _fhir_structure("690000029", "69998", "X")
        + _fhir_structure("420000011", "42955", "ST ETIENNE CEDEX 1")  # a CEDEX serving two communes: by name
        + _fhir_structure("010000111", "01998", "ANCIENNE COMMUNE CEDEX")  # no name match: the structure's département
    )
    report = import_finess(path)
    assert Structure.objects.get(finess="690000011").commune.insee == "69383"
    assert Structure.objects.get(finess="420000011").commune.insee == "42218"
    assert Structure.objects.get(finess="010000111").commune.insee == "01053"
    assert Structure.objects.get(finess="690000029").commune is None  # neither a CEDEX nor a known code
    assert report.details["sans commune"] == 1


def test_without_the_cedex_list_the_structure_stays_without_commune(communes, tmp_path, settings):
    settings.REFERENCE_DATA_DIR = str(tmp_path)
    path = tmp_path / "cedex.ndjson"
    path.write_text(_fhir_structure("690000011", "69444", "LYON CEDEX 03"))
    import_finess(path)
    assert Structure.objects.get(finess="690000011").commune is None
