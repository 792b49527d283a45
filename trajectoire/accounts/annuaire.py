"""What accounts take from the Annuaire Santé (directory.Professionnel): the profession of professionals.

`sync_professions` runs after each Annuaire import (settings.ANNUAIRE_HOOKS): every account whose RPPS or ADELI
number is in the Annuaire gets the profession the Annuaire gives (RPPS « code profession », TRE_G15, mapped by
`enums.RPPS_PROFESSION_CODES`; a profession outside that list is « autre »). The medical habilitation rule reads
`User.profession` (accounts.permissions), so it rests on the national directory, not on what a référent typed.
"""

from __future__ import annotations

from django.db.models import Q

from trajectoire.directory.models import Professionnel

from .enums import RPPS_PROFESSION_CODES, Profession
from .models import User


def profession_for(code: str) -> str:
    return RPPS_PROFESSION_CODES.get(code, Profession.AUTRE)


def professionnel_of(user) -> Professionnel | None:
    """The Annuaire entry of an account (RPPS first, then ADELI), or None."""
    if user.rpps:
        return Professionnel.objects.filter(id_type="8", identifiant=user.rpps).first()
    if user.adeli:
        return Professionnel.objects.filter(id_type="0", identifiant=user.adeli).first()
    return None


def sync_professions(report=None) -> int:
    """Set `profession` (and `specialite`) of the accounts found in the Annuaire; returns how many changed."""
    changed = 0
    accounts = User.objects.filter(Q(rpps__isnull=False) | Q(adeli__isnull=False)).only(
        "rpps", "adeli", "profession", "specialite"
    )
    for chunk_start in range(0, accounts.count(), 2000):
        users = list(accounts.order_by("pk")[chunk_start : chunk_start + 2000])
        pros = {
            (p.id_type, p.identifiant): p
            for p in Professionnel.objects.filter(
                Q(id_type="8", identifiant__in=[u.rpps for u in users if u.rpps])
                | Q(id_type="0", identifiant__in=[u.adeli for u in users if u.adeli])
            ).only("id_type", "identifiant", "profession_code", "savoir_faire_label")
        }
        updated = []
        for user in users:
            pro = pros.get(("8", user.rpps)) if user.rpps else pros.get(("0", user.adeli))
            if pro is None:
                continue
            profession, specialite = profession_for(pro.profession_code), pro.savoir_faire_label[:150]
            if (user.profession, user.specialite) != (profession, specialite or user.specialite):
                user.profession, user.specialite = profession, specialite or user.specialite
                updated.append(user)
        User.objects.bulk_update(updated, ["profession", "specialite"])
        changed += len(updated)
    if report is not None:
        report.count("comptes dont la profession a été mise à jour", changed)
    return changed


def identity(rpps: str) -> dict:
    """Identity of an RPPS holder as the Annuaire publishes it ({} when absent): pre-fills a first login."""
    pro = Professionnel.objects.filter(id_type="8", identifiant=rpps).first()
    if pro is None:
        return {}
    return {
        "first_name": pro.prenom.title() if pro.prenom.isupper() else pro.prenom,
        "last_name": pro.nom,
        "profession": profession_for(pro.profession_code),
        "specialite": pro.savoir_faire_label[:150],
    }


def practice_structures(user):
    """Structures (by FINESS) where the Annuaire says the user practises and that they are not yet attached to."""
    from trajectoire.directory.models import Structure

    pro = professionnel_of(user)
    if pro is None:
        return Structure.objects.none()
    finess = pro.lieux.exclude(finess_site="").values("finess_site")
    return Structure.objects.filter(finess__in=finess).exclude(memberships__user=user).order_by("name")


def proposed_members(structure):
    """Accounts that logged in with a card or e-CPS and, per the Annuaire, practise in `structure` without being
    attached to it: the référent confirms (or not) their attachment."""
    rpps = Professionnel.objects.filter(id_type="8", lieux__finess_site=structure.finess).values("identifiant")
    return (
        User.objects.filter(rpps__in=rpps, strong_auth_at__isnull=False, is_active=True)
        .exclude(memberships__structure=structure)
        .order_by("last_name", "first_name")
    )


def mssante_address(user) -> str:
    """The MSSanté mailbox of a professional, when the Annuaire Santé entry has one ('' otherwise)."""
    pro = professionnel_of(user)
    return pro.mssante if pro is not None else ""
