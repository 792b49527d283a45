import csv

from django.conf import settings

from trajectoire.directory.categories import CATEGORY_TYPES, domain_for, structure_type_for
from trajectoire.directory.enums import Domain, StructureType


def test_mapping_of_the_issue():
    expected = {
        "500": StructureType.EHPAD, "501": StructureType.EHPA, "502": StructureType.EHPA,
        "202": StructureType.RESIDENCE_AUTONOMIE, "362": StructureType.USLD, "354": StructureType.SSIAD,
        "209": StructureType.SPASAD, "127": StructureType.HAD, "109": StructureType.SMR,
        "190": StructureType.CAMSP, "189": StructureType.CMPP, "182": StructureType.SESSAD,
        "355": StructureType.HOPITAL,
    }  # fmt: skip
    assert {code: structure_type_for(code) for code in expected} == expected
    assert domain_for(StructureType.EHPAD) == Domain.GRAND_AGE
    assert domain_for(StructureType.SMR) == Domain.SANITAIRE
    assert domain_for(StructureType.CAMSP) == Domain.TND
    assert structure_type_for("620") == ""  # pharmacie: imported, but not a target of demandes


def test_every_mapped_category_exists_in_the_national_extract():
    path = settings.REFERENCE_DATA_DIR / "finess" / "categories.csv"
    with open(path, encoding="utf-8") as handle:
        present = {row["categetab"] for row in csv.DictReader(handle, delimiter=";")}
    assert set(CATEGORY_TYPES) <= present
