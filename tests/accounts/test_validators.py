import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from trajectoire.accounts.validators import is_valid_rpps, luhn_is_valid, validate_adeli, validate_rpps

RPPS_FILE = Path(settings.REFERENCE_DATA_DIR) / "rpps" / "PS_LibreAcces_Personne_activite_small.txt"


def _real_identifiers(kind: str) -> list[str]:
    with RPPS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="|")
        return sorted({row["Identifiant PP"] for row in rows if row["Type d'identifiant PP"] == kind})


def test_real_rpps_numbers_of_the_annuaire_sante_are_valid():
    rpps_numbers = _real_identifiers("8")
    assert rpps_numbers, "the extract holds RPPS rows"
    for number in rpps_numbers:
        validate_rpps(number)
        assert is_valid_rpps(number)


def test_real_adeli_numbers_of_the_annuaire_sante_are_valid():
    adeli_numbers = _real_identifiers("0")
    assert len(adeli_numbers) > 10
    for number in adeli_numbers:
        validate_adeli(number)


@pytest.mark.parametrize("position", range(11))
def test_any_single_digit_change_of_a_real_rpps_is_refused(position):
    number = _real_identifiers("8")[0]
    digit = (int(number[position]) + 1) % 10
    altered = number[:position] + str(digit) + number[position + 1 :]
    assert not is_valid_rpps(altered)
    with pytest.raises(ValidationError) as excinfo:
        validate_rpps(altered)
    assert excinfo.value.code == "rpps_checksum"


@pytest.mark.parametrize(
    "value", ["", "1010647676", "101064767641", "1010647676a", "１０１０６４７６７６４", " 10106476764"]
)
def test_rpps_format_errors_say_eleven_digits(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_rpps(value)
    assert excinfo.value.code == "rpps_format"
    assert "11 chiffres" in excinfo.value.messages[0]


def test_luhn_reference_value():
    assert luhn_is_valid("79927398713")
    assert not luhn_is_valid("79927398710")
