"""Dossiers without change for 6 months get an alert; 2 months later, unless confirmed, they are archived
and their open demandes closed. Idempotent: each step is claimed by a conditional write."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from trajectoire.dossiers.enums import Statut as DossierStatut
from trajectoire.dossiers.models import Dossier
from trajectoire.notifications.services import notify

from . import services
from .enums import OPEN_STATUTS
from .models import AlerteInactivite
from .permissions import dossier_url_for, senders

INACTIVITY = timedelta(days=183)  # 6 months
GRACE = timedelta(days=61)  # 2 months
LIVE = [DossierStatut.BROUILLON, DossierStatut.TRANSMIS]


def _with_last_change(queryset):
    return queryset.annotate(
        last_change=Greatest("updated_at", Coalesce(Max("demandes__status_changed_at"), "updated_at"))
    )


def send_alerts(now=None) -> int:
    now = now or timezone.now()
    stale = (
        _with_last_change(Dossier.objects.filter(statut__in=LIVE))
        .filter(last_change__lte=now - INACTIVITY)
        .filter(Q(alerte_inactivite__isnull=True) | Q(alerte_inactivite__alerted_at__lt=now - INACTIVITY))
        .select_related("created_by", "medecin")
    )
    sent = 0
    for dossier in stale[:1000]:
        try:
            with transaction.atomic():
                claimed = AlerteInactivite.objects.filter(dossier=dossier, alerted_at__lt=now - INACTIVITY).update(
                    alerted_at=now
                ) or AlerteInactivite.objects.create(dossier=dossier, alerted_at=now)
        except IntegrityError:
            continue  # another worker created it
        if claimed:
            for user in senders(dossier):
                notify(
                    [user],
                    title=f"Votre dossier {dossier} est-il toujours d’actualité ?",
                    body="Sans confirmation de votre part d’ici 2 mois, il sera archivé et ses demandes clôturées.",
                    url=dossier_url_for(user, dossier),
                )
            sent += 1
    return sent


def archive_unconfirmed(now=None) -> int:
    now = now or timezone.now()
    due = _with_last_change(
        Dossier.objects.filter(statut__in=LIVE, alerte_inactivite__alerted_at__lte=now - GRACE)
    ).select_related("alerte_inactivite")
    archived = 0
    for dossier in due[:1000]:
        if dossier.last_change > dossier.alerte_inactivite.alerted_at:
            continue  # something changed since the alert: still current
        if not Dossier.objects.filter(pk=dossier.pk, statut__in=LIVE).update(statut=DossierStatut.ARCHIVE):
            continue
        for demande_id in dossier.demandes.filter(statut__in=OPEN_STATUTS).values_list("pk", flat=True):
            services.close_for_inactivity(demande_id)
        notify(senders(dossier), title=f"Dossier {dossier} archivé sans mise à jour depuis 8 mois")
        archived += 1
    return archived


def confirm_still_current(dossier: Dossier) -> None:
    """The sender says the dossier is still current: it counts as a change."""
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
    AlerteInactivite.objects.filter(dossier=dossier).delete()
