"""Sharing a family dossier with other aidants: access for a confirmed account, an invitation otherwise.

An address is trusted only once proven: a relative whose account is not confirmed yet, or who has no account,
gets an `InvitationAidant`; the access is given when an account with that address confirms it
(`accept_invitations`, called by the e-mail confirmation and the password reset). The référent gets the same
answer in every case, and the e-mail to the relative says what to do.

Invitations make the platform e-mail an address someone typed: only an inviter whose own address is confirmed
may send them, at most `USAGERS_INVITATIONS_PER_DAY` a day, with no text of the inviter in the subject; an
invitation not taken up within `INVITATION_VALIDITY` (14 days) lapses.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from trajectoire.accounts.enums import Kind
from trajectoire.accounts.models import User
from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.notifications.services import notify, queue_email

from ..models import Aidant, InvitationAidant
from .comptes import CompteError, absolute, normalise_email

INVITATION_VALIDITY = timedelta(days=14)


def is_referent(user, dossier) -> bool:
    return dossier.aidants.filter(user=user, is_referent=True).exists()


@transaction.atomic
def add_aidant(dossier, *, by, email: str, lien: str, consentement: bool, request=None) -> None:
    if not is_referent(by, dossier):
        raise CompteError("Seul l’aidant référent peut partager le dossier.")
    if not consentement:
        raise CompteError("Cochez la case : la personne concernée doit avoir donné son accord.")
    if by.email_confirmed_at is None:
        raise CompteError(
            "Confirmez d’abord votre adresse électronique (lien reçu par courriel) pour partager le dossier."
        )
    _check_rate(by)
    email = normalise_email(email)
    if email == normalise_email(by.email):
        raise CompteError("C’est votre propre adresse : vous avez déjà accès au dossier.")
    user = User.objects.filter(username=email, kind=Kind.USAGER, is_active=True).first()
    if user is not None and dossier.aidants.filter(user=user).exists():
        raise CompteError("Cette personne a déjà accès au dossier.")
    now = timezone.now()
    if user is not None and user.email_confirmed_at is not None:
        _grant(dossier, user, lien=lien, consentement_at=now, by=by, request=request)
    else:
        fields = {"lien": lien, "invited_by": by, "consentement_at": now, "created_at": now}
        invitation, _ = InvitationAidant.objects.update_or_create(dossier=dossier, email=email, defaults=fields)
        record(Action.UPDATE, request=request, actor=by, obj=dossier, aidant_invited=invitation.pk, consent=True)
    context = {
        "by": by,
        "dossier": dossier,
        "granted": user is not None and user.email_confirmed_at is not None,
        "has_account": user is not None,
        "dossier_url": absolute(reverse("usagers:dossier", args=[dossier.pk])),
        "inscription_url": absolute(reverse("usagers:inscription")),
        "connexion_url": absolute(reverse("usagers:connexion")),
    }
    body = render_to_string("usagers/emails/invitation_aidant.txt", context)
    queue_email(email, f"[Trajectoire] Le dossier {dossier.numero} est partagé avec vous", body)


def _check_rate(by) -> None:
    """At most USAGERS_INVITATIONS_PER_DAY shares (invitations or direct access) a day per inviter."""
    since = timezone.now() - timedelta(days=1)
    sent = InvitationAidant.objects.filter(invited_by=by, created_at__gte=since).count()
    sent += Aidant.objects.filter(consentement_by=by, consentement_at__gte=since).count()
    if sent >= settings.USAGERS_INVITATIONS_PER_DAY:
        raise CompteError("Trop d’invitations envoyées aujourd’hui : réessayez demain.")


def purge_expired_invitations() -> int:
    deleted, _ = InvitationAidant.objects.filter(created_at__lt=timezone.now() - INVITATION_VALIDITY).delete()
    return deleted


def _grant(dossier, user, *, lien: str, consentement_at, by, request=None) -> Aidant:
    aidant = Aidant.objects.create(
        dossier=dossier, user=user, lien=lien, consentement_at=consentement_at, consentement_by=by
    )
    record(Action.UPDATE, request=request, actor=by, obj=dossier, aidant_added=user.pk, consent=True)
    notify(
        [user], title=f"Vous avez accès au dossier {dossier.numero}", url=reverse("usagers:dossier", args=[dossier.pk])
    )
    return aidant


@transaction.atomic
def accept_invitations(user) -> int:
    """Gives a just-confirmed account the access it was invited to; returns how many dossiers."""
    if user.kind != Kind.USAGER or user.email_confirmed_at is None:
        return 0
    count = 0
    purge_expired_invitations()
    for invitation in InvitationAidant.objects.select_for_update().filter(email=normalise_email(user.email)):
        if not invitation.dossier.aidants.filter(user=user).exists():
            _grant(
                invitation.dossier, user, lien=invitation.lien, consentement_at=invitation.consentement_at,
                by=invitation.invited_by,
            )  # fmt: skip
            count += 1
        invitation.delete()
    return count


@transaction.atomic
def cancel_invitation(dossier, *, by, invitation_id: int, request=None) -> None:
    if not is_referent(by, dossier):
        raise CompteError("Seul l’aidant référent peut annuler une invitation.")
    deleted, _ = dossier.invitations_aidants.filter(pk=invitation_id).delete()
    if not deleted:
        raise CompteError("Invitation introuvable.")
    record(Action.UPDATE, request=request, actor=by, obj=dossier, aidant_invitation_cancelled=invitation_id)


@transaction.atomic
def set_referent(dossier, *, by, aidant_id: int, request=None) -> None:
    if not is_referent(by, dossier):
        raise CompteError("Seul l’aidant référent peut désigner un autre référent.")
    target = dossier.aidants.filter(pk=aidant_id).first()
    if target is None:
        raise CompteError("Aidant introuvable.")
    dossier.aidants.update(is_referent=False)
    dossier.aidants.filter(pk=target.pk).update(is_referent=True)
    record(Action.UPDATE, request=request, actor=by, obj=dossier, referent=target.user_id)


@transaction.atomic
def remove_aidant(dossier, *, by, aidant_id: int, request=None) -> None:
    target = dossier.aidants.filter(pk=aidant_id).first()
    if target is None or target.is_referent or (not is_referent(by, dossier) and target.user_id != by.pk):
        raise CompteError("Vous ne pouvez pas retirer cet aidant.")
    target.delete()
    record(Action.UPDATE, request=request, actor=by, obj=dossier, aidant_removed=target.user_id)
