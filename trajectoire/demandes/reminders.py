"""Escalation of demandes without a first answer (see `delais` for the targets).

At the target the unit's admissions staff get a reminder; at twice the target the référent structure is told.
Each step happens once per demande and is traced in its timeline. Safe with several workers: a step is claimed
by a conditional UPDATE of `relance_count` (0 → 1 → 2) in the transaction that writes the timeline and the
notifications, so only one worker wins it and a failure leaves nothing half-done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trajectoire.accounts.models import Membership
from trajectoire.notifications.services import notify

from . import delais
from .models import Demande, DemandeEvent


@dataclass(frozen=True)
class Etape:
    niveau: int  # relance_count after this step
    facteur: int  # × the target
    action: str
    role_field: str  # who is told: Membership habilitation


ETAPES = (
    Etape(1, 1, "relance", "is_admissions"),
    Etape(2, 2, "escalade_referent", "is_referent"),
)


def _label(etape: Etape, delay) -> str:
    target = delais.duree(delay)
    if etape.niveau == 1:
        return f"Relance de l’équipe des admissions : sans réponse au terme du délai cible de {target}"
    return f"Signalement au référent de la structure : sans réponse après le double du délai cible de {target}"


def _recipients(etape: Etape, structure_id: int) -> list:
    memberships = Membership.objects.active().filter(structure_id=structure_id, **{etape.role_field: True})
    return [m.user for m in memberships.select_related("user")]


def due(etape: Etape, table, now):
    return Demande.objects.filter(delais.en_retard(table, now, etape.facteur), relance_count=etape.niveau - 1)


@transaction.atomic
def _escalate(demande: Demande, etape: Etape, table, now) -> bool:
    claimed = (
        Demande.objects.filter(pk=demande.pk, relance_count=etape.niveau - 1)
        .filter(delais.en_retard(table, now, etape.facteur))
        .update(relance_count=etape.niveau, last_relance_at=now)
    )
    if not claimed:
        return False  # another worker took this step, or the structure answered meanwhile
    demande.refresh_from_db(fields=["statut"])
    delay = delais.cible(demande, table)
    DemandeEvent.objects.create(
        demande=demande,
        dossier_id=demande.dossier_id,
        at=now,
        actor=None,
        action=etape.action,
        label=_label(etape, delay),
        from_statut=demande.statut,
        to_statut=demande.statut,
    )
    sent = timezone.localtime(demande.sent_at)
    if etape.niveau == 1:
        title = f"Relance : une demande attend votre réponse — {demande.unite.name}"
        url = reverse("demandes:detail", args=[demande.pk])
    else:
        title = f"Demande sans réponse depuis deux fois le délai cible — {demande.unite.name}"
        url = reverse("demandes:structure", args=[demande.structure_id])
    body = f"Demande reçue le {sent:%d/%m/%Y}, sans première réponse (délai cible : {delais.duree(delay)})."
    notify(_recipients(etape, demande.structure_id), title=title, body=body, url=url)
    return True


def send_due_reminders(now=None) -> dict[str, int]:
    """One pass of both steps; returns how many demandes each step reached."""
    now = now or timezone.now()
    table = delais.cibles()
    counts = {}
    for etape in ETAPES:
        done = 0
        for demande in due(etape, table, now).select_related("unite")[:1000]:
            done += _escalate(demande, etape, table, now)
        counts[etape.action] = done
    return counts
