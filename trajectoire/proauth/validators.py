"""Password validators added to AUTH_PASSWORD_VALIDATORS: not the RPPS itself, not a breached password."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError


class NotNationalIdentifierValidator:
    """Refuses a password that contains the user's RPPS, ADELI or login identifier."""

    def validate(self, password, user=None):
        if user is None:
            return
        for value in (getattr(user, "rpps", None), getattr(user, "adeli", None), getattr(user, "username", None)):
            if value and len(value) >= 6 and value in password:
                raise ValidationError(
                    "Le mot de passe ne doit pas contenir votre numéro RPPS, ADELI ou votre identifiant.",
                    code="password_contains_identifier",
                )

    def get_help_text(self):
        return "Votre mot de passe ne doit pas contenir votre numéro RPPS ou votre identifiant."


class OfflineBreachedPasswordValidator:
    """Refuses passwords found in a local copy of the "Pwned Passwords" list (no network call, ever).

    settings.PWNED_PASSWORDS_FILE: a text file sorted by hash, one `SHA1HEX[:COUNT]` per line (the
    format the Have I Been Pwned downloader writes). Absent setting or file: the check is skipped.
    """

    def validate(self, password, user=None):
        path = getattr(settings, "PWNED_PASSWORDS_FILE", "")
        if path and Path(path).is_file() and self._contains(Path(path), password):
            raise ValidationError(
                "Ce mot de passe figure dans des fuites de données connues : choisissez-en un autre.",
                code="password_breached",
            )

    @staticmethod
    def _contains(path: Path, password: str) -> bool:
        target = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper().encode()
        with path.open("rb") as handle:
            low, high = 0, os.fstat(handle.fileno()).st_size
            while low < high:  # binary search on byte offsets, re-aligned on line starts
                middle = (low + high) // 2
                handle.seek(middle)
                if middle:
                    handle.readline()
                line = handle.readline()
                key = line.split(b":", 1)[0].strip().upper()
                if not line or key > target:
                    high = middle
                elif key == target:
                    return True
                else:
                    low = middle + 1
            handle.seek(low)
            if low:
                handle.readline()
            return handle.readline().split(b":", 1)[0].strip().upper() == target

    def get_help_text(self):
        return "Votre mot de passe ne doit pas figurer dans une fuite de données connue."
