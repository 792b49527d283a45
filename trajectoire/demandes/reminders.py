"""Reminders (relances) for unanswered demandes. Idempotent and safe with several workers:
each reminder is claimed by a conditional UPDATE before it is sent."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from trajectoire.notifications.services import notify

from .enums import Statut
from .models import Demande
from .notify import _structure_staff

# Statuses in which the structure owes an answer.
AWAITING_STRUCTURE = [Statut.ENVOYEE, Statut.LUE, Statut.COMPLETEE]


def relance_delay(domain: str) -> timedelta:
    hours = settings.RELANCE_DELAYS_HOURS.get(domain, settings.RELANCE_DELAYS_HOURS["default"])
    return timedelta(hours=hours)


def due_demandes(now=None):
    now = now or timezone.now()
    due = Q()
    for domain in {*settings.RELANCE_DELAYS_HOURS} - {"default"}:
        threshold = now - relance_delay(domain)
        due |= Q(domain=domain, status_changed_at__lte=threshold) & (
            Q(last_relance_at__isnull=True) | Q(last_relance_at__lte=threshold)
        )
    return Demande.objects.filter(statut__in=AWAITING_STRUCTURE).filter(due)


def send_due_reminders(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    for demande in due_demandes(now).select_related("unite", "structure")[:1000]:
        threshold = now - relance_delay(demande.domain)
        claimed = (
            Demande.objects.filter(pk=demande.pk, statut__in=AWAITING_STRUCTURE)
            .filter(Q(last_relance_at__isnull=True) | Q(last_relance_at__lte=threshold))
            .update(last_relance_at=now, relance_count=demande.relance_count + 1)
        )
        if not claimed:
            continue  # another worker sent it, or the structure answered meanwhile
        notify(
            _structure_staff(demande.structure_id),
            title=f"Relance : une demande attend votre réponse — {demande.unite.name}",
            body=f"Demande reçue le {timezone.localtime(demande.sent_at):%d/%m/%Y}, sans réponse à ce jour.",
            url=reverse("demandes:detail", args=[demande.pk]),
        )
        sent += 1
    return sent
