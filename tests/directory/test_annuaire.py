"""Annuaire Santé import on the real sample of the public extract (tests/directory/data/rpps/, 22 rows)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories.accounts import UserFactory
from trajectoire.directory.importers.annuaire import import_annuaire
from trajectoire.directory.models import LieuExercice, Professionnel

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(data_dir):
    return data_dir / "rpps" / "PS_LibreAcces_Personne_activite_small.txt"


def test_sample_professionals_places_and_reimport(sample):
    report = import_annuaire(sample)
    assert (report.read, report.imported, report.rejected_count) == (22, 22, 0)
    assert Professionnel.objects.count() == 22
    doctor = Professionnel.objects.get(identification_nationale="810106476764")
    assert (doctor.id_type, doctor.identifiant, str(doctor)) == ("8", "10106476764", "Dr Zakaria BENHOUCHAME")
    assert (doctor.profession_code, doctor.savoir_faire_label) == ("10", "Gynécologie-obstétrique")
    ergo = Professionnel.objects.get(identifiant="019402726")
    lieu = ergo.lieux.get()
    assert (lieu.finess_site, lieu.siret, lieu.commune_code, lieu.mode_exercice) == (
        "010000032",
        "26010003700068",
        "01034",
        "S",
    )
    import_annuaire(sample)
    assert Professionnel.objects.count() == 22 and LieuExercice.objects.count() == 22


def test_accounts_take_their_profession_from_the_annuaire(sample):
    doctor = UserFactory(rpps="10106476764", profession="", specialite="")
    ergo = UserFactory(rpps=None, adeli="019402726", profession="medecin")  # typed wrong by hand
    report = import_annuaire(sample)
    doctor.refresh_from_db()
    ergo.refresh_from_db()
    assert (doctor.profession, doctor.specialite) == ("medecin", "Gynécologie-obstétrique")
    assert ergo.profession == "autre"  # ergothérapeute (code 94): not a medical profession
    assert report.details["comptes dont la profession a été mise à jour"] == 2


def test_malformed_lines_are_reported_and_places_that_disappeared_are_removed(sample, tmp_path):
    import_annuaire(sample)
    lines = sample.read_text(encoding="utf-8").splitlines()
    kept = [lines[0], *[line for line in lines[1:] if "019402726" not in line]]
    bad_type = lines[1].replace("0|010001949|0010001949", "X|010001949|X010001949", 1)
    truncated = "0|123|0123|"
    path = tmp_path / "annuaire.txt"
    path.write_text("\n".join([*kept, bad_type, truncated]) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("import_annuaire", str(path), stdout=out)
    text = out.getvalue()
    assert "21 importées, 2 rejetées" in text
    assert "annuaire.txt:23 : type d’identifiant inconnu « X » (8 RPPS ou 0 ADELI)" in text
    assert "annuaire.txt:24 : 4 champs au lieu de 52" in text
    assert not LieuExercice.objects.filter(professionnel__identifiant="019402726").exists()


def test_not_the_extract_is_a_french_error(tmp_path):
    path = tmp_path / "autre.txt"
    path.write_text("nom|prénom\nA|B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ce n’est pas l’extraction PS_LibreAcces_Personne_activite"):
        call_command("import_annuaire", str(path), stdout=StringIO())
