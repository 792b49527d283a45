"""Who a card or an e-CPS designates, and what a strong login (first or not) does to the account."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trajectoire.accounts import annuaire
from trajectoire.accounts.enums import Kind, Profession
from trajectoire.accounts.validators import is_valid_rpps

from . import sessions

_RPPS = re.compile(r"^8(\d{11})$")
_ADELI = re.compile(r"^0(\d{9})$")
_STAFF = re.compile(r"^[345]\d{8,14}/[A-Za-z0-9._-]{1,40}$")


@dataclass(frozen=True)
class NationalId:
    kind: str  # "rpps", "adeli" or "staff"
    value: str


def parse_national_id(cn: str) -> NationalId | None:
    """`8`+RPPS, `0`+ADELI, `3|4|5`+FINESS/SIREN/SIRET+`/`+id (CPE/CPA); None for anything else."""
    cn = cn.strip()
    if match := _RPPS.match(cn):
        return NationalId("rpps", match.group(1)) if is_valid_rpps(match.group(1)) else None
    if match := _ADELI.match(cn):
        return NationalId("adeli", match.group(1))
    if _STAFF.match(cn):
        return NationalId("staff", cn)
    return None


def find_or_create(national_id: NationalId, *, first_name="", last_name="", profession="") -> tuple[object, str]:
    """(user, "") or (None, reason). RPPS holders get an account at first login (their identity is
    attested by the IGC-Santé card or by Pro Santé Connect); ADELI and staff-card accounts must have been
    created by the structure's référent beforehand."""
    User = get_user_model()
    field = {"rpps": "rpps", "adeli": "adeli", "staff": "staff_card_id"}[national_id.kind]
    user = User.objects.filter(**{field: national_id.value}).first()
    if user is None and national_id.kind == "rpps":
        known = annuaire.identity(national_id.value)  # the Annuaire Santé pre-fills what the card does not say
        user, _ = User.objects.get_or_create(
            rpps=national_id.value,
            defaults={
                "username": national_id.value,
                "kind": Kind.PROFESSIONNEL,
                "first_name": (first_name or known.get("first_name", ""))[:150],
                "last_name": (last_name or known.get("last_name", ""))[:150],
                "profession": known.get("profession") or profession,
                "specialite": known.get("specialite", ""),
            },
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if user is None:
        return None, "unknown"
    if not user.is_active or not user.is_professionnel:
        return None, "disabled"
    return user, ""


@transaction.atomic
def strong_login(request, user, means: str, *, first_name="", last_name="", profession="") -> str:
    """Log in after a card or e-CPS; returns where to go next (first-login set-up or the dashboard)."""
    changed = []
    first_login = user.strong_auth_at is None
    if first_login:
        user.strong_auth_at = timezone.now()
        changed.append("strong_auth_at")
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if value and not getattr(user, name):
            setattr(user, name, value[:150])
            changed.append(name)
    if first_login and user.rpps:
        # The Annuaire Santé is the source of truth for the profession (it decides the medical habilitation).
        profession = annuaire.identity(user.rpps).get("profession") or profession
    if profession and profession != user.profession and profession in Profession.values:
        user.profession = profession
        changed.append("profession")
    if changed:
        user.save(update_fields=changed)
    sessions.open_session(request, user, means)
    if user.email_confirmed_at is None or not user.has_usable_password():
        return reverse("proauth:setup")
    return reverse("core:dashboard")
