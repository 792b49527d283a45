"""« Désigner mon médecin traitant » with the Annuaire Santé: any doctor of the Annuaire can be named, not only those
with an account; one without an account gets a pre-account (first login by CPx card or e-CPS, SPEC §2.1) and an
invitation e-mail (MSSanté when known) saying that a dossier is waiting for its medical part."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from trajectoire.accounts import mssante
from trajectoire.accounts.annuaire import profession_for
from trajectoire.accounts.enums import Kind, Profession
from trajectoire.accounts.models import User
from trajectoire.directory.geo import normalize
from trajectoire.directory.models import Professionnel
from trajectoire.notifications.services import queue_email

from .comptes import CompteError, absolute
from .dossiers import _attach, check_designation_allowed, find_medecins

MEDECIN = "10"  # RPPS « code profession » of doctors (TRE_G15)


@dataclass(frozen=True)
class MedecinTrouve:
    value: str  # what the family's choice posts: a user pk, or "a<pk>" for an Annuaire entry (never the RPPS)
    nom: str
    commune: str


def search_medecins(nom: str = "", commune: str = "", limit: int = 20) -> list[MedecinTrouve]:
    """Doctors with an account first, then the other doctors of the Annuaire Santé (name and/or commune)."""
    users = find_medecins(nom, commune, limit)
    found = [MedecinTrouve(str(u.pk), u.get_full_name(), u.exercice_commune) for u in users]
    nom, commune = normalize(nom or ""), (commune or "").strip()
    if len(nom) < 2 and len(commune) < 2:
        return found
    qs = Professionnel.objects.filter(id_type="8", profession_code=MEDECIN)
    if len(nom) >= 2:
        qs = qs.filter(search_name__contains=nom)
    if len(commune) >= 2:
        column = "lieux__code_postal__startswith" if commune.isdigit() else "lieux__commune__icontains"
        qs = qs.filter(**{column: commune})
    known = set(User.objects.filter(rpps__in=qs.values("identifiant")).values_list("rpps", flat=True))
    for pro in qs.distinct().order_by("nom", "prenom").prefetch_related("lieux")[: limit * 2]:
        if pro.identifiant in known or len(found) >= limit:
            continue
        place = next((lieu.commune.title() for lieu in pro.lieux.all() if lieu.commune), "")
        found.append(MedecinTrouve(f"a{pro.pk}", str(pro), place))
    return found


def _invitation_address(user, pro: Professionnel) -> tuple[str, bool]:
    lieu_email = next((lieu.email for lieu in pro.lieux.all() if lieu.email), "")
    return mssante.destination(user, user.email or lieu_email)


@transaction.atomic
def designate_from_annuaire(dossier, pro: Professionnel, *, by, request=None) -> bool:
    """Name a doctor of the Annuaire; True when an invitation e-mail could be sent (else: give the paper code)."""
    if pro.id_type != "8" or profession_for(pro.profession_code) != Profession.MEDECIN:
        raise CompteError("Choisissez un médecin dans la liste.")
    user = User.objects.filter(rpps=pro.identifiant).first()
    if user is not None and dossier.medecin_id == user.pk:
        return bool(_invitation_address(user, pro)[0])  # already named and invited: nobody is mailed twice
    check_designation_allowed(by)
    if user is None:
        user = User.objects.create_user(
            username=pro.identifiant, rpps=pro.identifiant, kind=Kind.PROFESSIONNEL, profession=Profession.MEDECIN,
            first_name=pro.prenom.title()[:150], last_name=pro.nom[:150], specialite=pro.savoir_faire_label[:150],
        )  # fmt: skip
    if not (user.is_active and user.profession == Profession.MEDECIN):
        raise CompteError("Choisissez un médecin dans la liste.")
    _attach(dossier, user, by=by, request=request, how="designation")
    to, via_mssante = _invitation_address(user, pro)
    if not to:
        return False
    context = {"medecin": user, "dossier": dossier, "url": absolute(reverse("proauth:login")),
               "premiere": user.strong_auth_at is None}  # fmt: skip
    body = render_to_string("usagers/emails/invitation_medecin.txt", context)
    subject = f"[Trajectoire] Un dossier Grand Âge vous attend ({dossier.numero})"
    queue_email(to, subject, body, via_mssante=via_mssante)
    return True
