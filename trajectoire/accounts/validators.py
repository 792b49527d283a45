"""National identifiers of health professionals (RPPS, ADELI)."""

from django.core.exceptions import ValidationError


def luhn_is_valid(digits: str) -> bool:
    """Luhn check over a string of digits (the last one being the check digit)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_valid_rpps(value: str) -> bool:
    return len(value) == 11 and value.isascii() and value.isdigit() and luhn_is_valid(value)


def validate_rpps(value: str) -> None:
    if not (len(value) == 11 and value.isascii() and value.isdigit()):
        raise ValidationError("Le numéro RPPS comporte exactement 11 chiffres.", code="rpps_format")
    if not luhn_is_valid(value):
        raise ValidationError(
            "Ce numéro RPPS n’est pas valide (la clé de contrôle ne correspond pas). Vérifiez sa saisie.",
            code="rpps_checksum",
        )


def validate_adeli(value: str) -> None:
    if not (len(value) == 9 and value.isascii() and value.isdigit()):
        raise ValidationError("Le numéro ADELI comporte exactement 9 chiffres.", code="adeli_format")
