"""Who is told what when a demande changes (in-app, and by e-mail for those who opted in)."""

from __future__ import annotations

from django.urls import reverse

from trajectoire.accounts.models import Membership
from trajectoire.notifications.services import notify

from .enums import Statut

# What the sender hears about, by transition.
SENDER_MESSAGES = {
    "demander_complement": "La structure demande un complément d’information",
    "accepter": "Proposition d’admission reçue",
    "mettre_en_attente": "Demande inscrite sur liste d’attente",
    "refuser": "Demande refusée",
    "enregistrer_admission": "Entrée du patient enregistrée",
}
# What the structure hears about, by transition.
STRUCTURE_MESSAGES = {
    "completer": "Complément d’information reçu",
    "confirmer_admission": "Admission confirmée par le demandeur",
    "annuler": "Demande annulée par le demandeur",
    "decliner": "Proposition d’admission déclinée par le demandeur",
    "cloturer": "Demande clôturée",
}


def _structure_staff(structure_id: int):
    memberships = Membership.objects.active().filter(structure_id=structure_id)
    memberships = memberships.filter(is_admissions=True) | memberships.filter(is_medical=True)
    return [m.user for m in memberships.select_related("user")]


def senders_of(demande) -> list:
    """`permissions.senders` of the demande's dossier, computed once per demande object: the after-commit
    hooks of one transition (these notifications, the API's Subscription fan-out) get the same list."""
    memo = demande.__dict__.get("_senders_memo")
    if memo is None:
        from .permissions import senders

        memo = demande.__dict__["_senders_memo"] = senders(demande.dossier)
    return memo


def new_demandes(demandes) -> None:
    for demande in demandes:
        notify(
            _structure_staff(demande.structure_id),
            title=f"Nouvelle demande reçue pour « {demande.unite.name} »",
            body="Une nouvelle demande d’admission attend votre réponse.",
            url=reverse("demandes:detail", args=[demande.pk]),
        )


def transition(demande, name: str) -> None:
    url = reverse("demandes:detail", args=[demande.pk])
    if name in SENDER_MESSAGES:
        notify(senders_of(demande), title=f"{SENDER_MESSAGES[name]} — {demande.structure.name}", url=url)
    if name in STRUCTURE_MESSAGES:
        title = STRUCTURE_MESSAGES[name]
        if name == "cloturer" and demande.statut == Statut.CLOTUREE and demande.motif_cloture:
            title = f"{title} : {demande.get_motif_cloture_display().lower()}"
        notify(_structure_staff(demande.structure_id), title=f"{title} — {demande.unite.name}", url=url)
