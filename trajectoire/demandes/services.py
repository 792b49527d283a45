"""Demande services: sending, every transition, and their side effects. Views, API, commands and tasks call these.

Concurrency: every change locks the dossier row first (`select_for_update`), then re-reads the demande and
checks the transition table, so two structures accepting, a cancellation racing an acceptance or two tabs
confirming all end in one consistent state. Database constraints back this (one admission per dossier,
one live demande per unit). On SQLite, write transactions are serialised by `BEGIN IMMEDIATE`. A caller that
took that lock and read the demande itself, in its own transaction (the API's Task update and the demande page's
buttons, `holding`), lends it to the transitions instead of having it locked and read twice. Who is told, and
the API's Subscriptions, are one task for the worker once the change commits (`_announce`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone

from trajectoire.accounts.enums import Role
from trajectoire.accounts.permissions import has_role
from trajectoire.audit.enums import Action
from trajectoire.audit.services import event
from trajectoire.directory.models import Unite
from trajectoire.dossiers.enums import Statut as DossierStatut
from trajectoire.dossiers.models import Dossier

from . import notify
from .enums import (
    ADMISSION_STATUTS,
    OPEN_STATUTS,
    MotifAnnulation,
    MotifCloture,
    MotifRefus,
    Side,
    Statut,
    motifs_refus_for,
)
from .models import Demande, DemandeEvent
from .permissions import is_sender
from .signals import demande_changed
from .workflow import TransitionError, check


class SendError(Exception):
    """Sending refused; the message is for the user."""


def send_blockers(dossier: Dossier, user) -> list[str]:
    """Why this user cannot send this dossier yet, in plain words (empty: they can). Every door shows and
    `send` applies these same rules: the family's page, the professionals' page, an API."""
    reasons = []
    if user.is_usager and user.email_confirmed_at is None:
        reasons.append("Confirmez votre adresse électronique (lien reçu par courriel).")
    if dossier.demandes.filter(statut__in=ADMISSION_STATUTS).exists():
        reasons.append("Une place a été acceptée : le dossier ne peut plus être envoyé.")
    if dossier.statut not in (DossierStatut.BROUILLON, DossierStatut.TRANSMIS):
        reasons.append(f"Le dossier est {dossier.get_statut_display().lower()}.")
    missing = [s.definition for s in dossier.sections_status() if s.definition.required and not s.is_valid]
    if missing and not user.is_usager:
        reasons.append("Le dossier ne peut pas être envoyé : toutes les sections obligatoires doivent être validées.")
    for definition in missing if user.is_usager else ():
        if definition.is_medical:
            reasons.append("La partie médicale doit être complétée par le médecin.")
        else:
            reasons.append(f"Complétez et validez : « {definition.title} ».")
    return list(dict.fromkeys(reasons))


@transaction.atomic
def send(dossier: Dossier, unites: Iterable[Unite], *, by) -> list[Demande]:
    """One demande per unit. Refused as a whole if any unit is not acceptable (nothing half-sent)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not is_sender(by, dossier):
        raise SendError("Vous ne pouvez pas envoyer ce dossier.")
    if reasons := send_blockers(dossier, by):
        raise SendError(" ".join(reasons))
    unites = list(unites)
    if not unites:
        raise SendError("Sélectionnez au moins une structure.")
    live = set(dossier.demandes.open().values_list("unite_id", flat=True))
    for unite in unites:
        if unite.pk in live:
            raise SendError(f"Une demande est déjà en cours auprès de « {unite} ».")
        if not unite.is_active or unite.domain != dossier.domain:
            raise SendError(f"L’unité « {unite} » ne reçoit pas ce type de demande.")
    now = timezone.now()
    demandes = []
    for unite in unites:
        demande = Demande.objects.create(
            dossier=dossier,
            unite=unite,
            structure_id=unite.structure_id,
            domain=dossier.domain,
            urgente=_is_urgent(dossier),
            sent_by=by,
            statut=Statut.ENVOYEE,
            sent_at=now,
            status_changed_at=now,
        )
        _log(demande, by, "envoyer", "Demande envoyée", "", Statut.ENVOYEE, at=now)
        demandes.append(demande)
    Dossier.objects.filter(pk=dossier.pk, statut=DossierStatut.BROUILLON).update(statut=DossierStatut.TRANSMIS)
    _announce("envoyer", demandes)
    return demandes


def _announce(action: str, demandes) -> None:
    """Once the transaction commits, the task worker tells who must know (`announce`): the request that made the
    change does not wait for the notifications, their e-mails and the API's Subscription fan-out (≈ 6 statements
    and a commit of their own). Nothing is queued when the transaction rolls back."""
    from .tasks import announce

    ids = [d.pk for d in demandes]
    transaction.on_commit(lambda: announce.enqueue(action, ids))


def announce_now(action: str, demande_ids: list[int]) -> int:
    """The side effects of `action` on these demandes, as they are now (the worker's `announce`): the in-app
    notifications and e-mails (`notify`), then `demande_changed` (the API's Subscriptions). Returns how many
    demandes were announced (a demande deleted meanwhile is skipped)."""
    demandes = list(
        Demande.objects.filter(pk__in=demande_ids).select_related("dossier", "unite", "structure").order_by("pk")
    )
    if action == "envoyer":
        notify.new_demandes(demandes)
    else:
        for demande in demandes:
            notify.transition(demande, action)
    for demande in demandes:
        demande_changed.send(sender=Demande, demande=demande, action=action)
    return len(demandes)


def _is_urgent(dossier: Dossier) -> bool:
    section = dossier.sections.filter(data__has_key="urgence").first()
    return bool(section and section.data.get("urgence") == "urgente")


def _log(demande, actor, action, label, from_statut, to_statut, *, at=None, motif="", message="", date=None):
    return DemandeEvent.objects.create(
        demande=demande,
        dossier_id=demande.dossier_id,
        at=at or timezone.now(),
        actor=actor,
        action=action,
        label=label,
        from_statut=from_statut,
        to_statut=to_statut,
        motif=motif,
        message=message,
        date=date,
    )


def side_of(user, demande: Demande) -> Side | None:
    """Which side the user acts for on this demande (structure staff first: they may also send)."""
    if user is None:
        return Side.SYSTEM
    if has_role(user, demande.structure_id, Role.ADMISSIONS) or has_role(user, demande.structure_id, Role.MEDICAL):
        return Side.STRUCTURE
    if is_sender(user, demande.dossier):
        return Side.SENDER
    return None


def lock_dossier_of(demande_id: int) -> None:
    """Lock the row of the demande's dossier (one statement: a demande never changes dossier). Every change
    takes it first: transitions of one dossier are serialised. Caller is inside transaction.atomic."""
    dossier_id = Subquery(Demande.objects.filter(pk=demande_id).values("dossier_id")[:1])
    Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk", flat=True).first()


def locked_demande(queryset, demande_id: int) -> Demande | None:
    """For a caller that lends the demande to the services (`holding`): the dossier's lock first, then the demande
    read under it through `queryset` (the caller's visibility and columns), its row locked; None when the
    queryset does not hold it (the caller answers 404). Caller is inside transaction.atomic."""
    lock_dossier_of(demande_id)
    return queryset.select_for_update(of=("self",)).filter(pk=demande_id).first()


@dataclass
class _Held:
    demande: Demande
    audit: list
    side: Side | None
    transitions: int = field(default=0)


_held: ContextVar[_Held | None] = ContextVar("demandes_held", default=None)


@contextmanager
def holding(demande: Demande, audit: list, side: Side | None = None):
    """For a caller that, inside its own `transaction.atomic`, read `demande` with `locked_demande` (the dossier's
    lock, then the row) with its dossier and unité (the API's Task update, the demande page's buttons
    `views.act`): the transitions of that demande within the block use this object instead of locking
    and reading it again, take `side` (the caller's `side_of(by, demande)`) instead of computing it again, and
    add their audit events to `audit`, which the caller writes (`audit.services.record_all`) before its
    transaction ends. Same checks, same rows; the other demandes (e.g. closed by a confirmation) go the usual
    way. Yields the hold, whose `transitions` counts the transitions applied to the demande."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("holding() needs the caller's transaction (the lock lives as long as it).")
    hold = _Held(demande, audit, side)
    token = _held.set(hold)
    try:
        yield hold
    finally:
        _held.reset(token)


def _hold_of(demande_id: int) -> _Held | None:
    hold = _held.get()
    return hold if hold is not None and hold.demande.pk == demande_id else None


def _apply(demande_id: int, name: str, by, *, side: Side | None = None, **changes) -> Demande:
    """Lock, check the table, apply, log. Caller is inside transaction.atomic."""
    if hold := _hold_of(demande_id):  # locked and read by the caller, in this transaction
        demande, side = hold.demande, side or hold.side
    else:
        lock_dossier_of(demande_id)  # serialise per dossier
        demande = Demande.objects.select_for_update().select_related("dossier", "unite", "structure").get(pk=demande_id)
    actual_side = side or side_of(by, demande)
    if actual_side is None:
        raise TransitionError("Vous ne pouvez pas effectuer cette action sur cette demande.")
    transition = check(name, demande.statut, actual_side)
    now = timezone.now()
    previous = demande.statut
    demande.statut = transition.target
    demande.status_changed_at = now
    written = ["statut", "status_changed_at", *changes]
    if actual_side == Side.STRUCTURE and demande.answered_at is None and name != "lire":
        demande.answered_at = now
        written.append("answered_at")
    for field_name, value in changes.items():
        setattr(demande, field_name, value)
    demande.save(update_fields=written)  # what the transition changes (the reminders write their own columns)
    return demande, transition, previous, now


def _transition(demande_id, name, by, *, motif="", message="", date=None, side=None, **changes) -> Demande:
    # Held (`holding`): the holder's transaction is the unit, any error here ends it: no savepoint of its own.
    with transaction.atomic(savepoint=_hold_of(demande_id) is None):
        demande, transition, previous, now = _apply(demande_id, name, by, side=side, **changes)
        _log(
            demande,
            by,
            name,
            transition.label,
            previous,
            demande.statut,
            at=now,
            motif=motif,
            message=message,
            date=date,
        )
        hold = _hold_of(demande.pk)
        if by is not None:
            audit = event(Action.TRANSITION, actor=by, obj=demande, transition=name)
            if hold:
                hold.audit.append(audit)  # written by the holder with its own, in one INSERT
            else:
                audit.save(force_insert=True)
        if hold:
            hold.transitions += 1
        _announce(name, [demande])
    return demande


def mark_read(demande: Demande, by) -> Demande:
    """Opening a demande from the inbox marks it read (once)."""
    if demande.read_at is not None:
        return demande
    Demande.objects.filter(pk=demande.pk, read_at__isnull=True).update(read_at=timezone.now())
    if demande.statut in (Statut.ENVOYEE, Statut.COMPLETEE):
        try:
            return _transition(demande.pk, "lire", by, read_at=timezone.now())
        except TransitionError:
            pass  # changed meanwhile: reading is not worth an error
    demande.refresh_from_db()
    return demande


def ask_complement(demande: Demande, by, message: str) -> Demande:
    if not message.strip():
        raise TransitionError("Précisez les informations demandées.")
    return _transition(demande.pk, "demander_complement", by, message=message.strip())


def answer_complement(demande: Demande, by, message: str) -> Demande:
    if not message.strip():
        raise TransitionError("Saisissez votre réponse à la structure.")
    return _transition(demande.pk, "completer", by, message=message.strip())


def accept(demande: Demande, by, date_admission: dt.date, message: str = "") -> Demande:
    if date_admission is None:
        raise TransitionError("Indiquez la date d’admission proposée.")
    if date_admission < timezone.localdate():
        raise TransitionError("La date d’admission proposée ne peut pas être dans le passé.")
    return _transition(
        demande.pk, "accepter", by, date=date_admission, message=message, date_admission_proposee=date_admission
    )


def put_on_waiting_list(demande: Demande, by, message: str = "") -> Demande:
    return _transition(demande.pk, "mettre_en_attente", by, message=message)


def _with_motif(demande, name, by, motifs, field, motif, comment, what):
    """A transition carrying a motif from a fixed list, with a free text required for « Autre »."""
    if motif not in motifs.values:
        raise TransitionError(f"Choisissez un motif {what} dans la liste.")
    if motif == motifs.AUTRE and not comment.strip():
        raise TransitionError(f"Précisez le motif {what}.")
    return _transition(
        demande.pk, name, by, motif=motifs(motif).label, message=comment, commentaire=comment, **{field: motif}
    )


def refuse(demande: Demande, by, motif: MotifRefus | str, comment: str = "") -> Demande:
    """Refuse with a motif of the demande's domain list (`enums.MOTIFS_REFUS`)."""
    if motif in MotifRefus.values and motif not in motifs_refus_for(demande.dossier.domain):
        raise TransitionError("Ce motif de refus n’est pas proposé pour ce type de demande.")
    return _with_motif(demande, "refuser", by, MotifRefus, "motif_refus", motif, comment, "de refus")


def record_admission(demande: Demande, by, date_entree: dt.date) -> Demande:
    if date_entree is None:
        raise TransitionError("Indiquez la date d’entrée du patient.")
    return _transition(demande.pk, "enregistrer_admission", by, date=date_entree, date_entree=date_entree)


def cancel(demande: Demande, by, motif: MotifAnnulation | str, comment: str = "") -> Demande:
    return _with_motif(demande, "annuler", by, MotifAnnulation, "motif_annulation", motif, comment, "d’annulation")


def confirm_admission(demande: Demande, by) -> Demande:
    """The sender confirms one acceptance; every other open demande of the dossier is closed."""
    try:
        with transaction.atomic():
            demande = _transition(demande.pk, "confirmer_admission", by)
            _close_others(demande, by)
    except IntegrityError as exc:  # a concurrent confirmation won: the constraint keeps one admission
        raise TransitionError("L’admission du patient a déjà été confirmée dans une autre structure.") from exc
    return demande


def _close_others(demande: Demande, by) -> list[Demande]:
    closed = []
    for other_id in demande.dossier.demandes.open().exclude(pk=demande.pk).values_list("pk", flat=True):
        closed.append(
            _transition(
                other_id,
                "cloturer",
                None,
                side=Side.SYSTEM,
                motif=MotifCloture.ADMIS_AILLEURS.label,
                motif_cloture=MotifCloture.ADMIS_AILLEURS,
            )
        )
    return closed


def decline_offer(demande: Demande, by, comment: str = "") -> Demande:
    """The sender (or family) declines an admission offer."""
    return _transition(
        demande.pk,
        "decliner",
        by,
        motif=MotifAnnulation.OFFRE_DECLINEE.label,
        message=comment,
        motif_annulation=MotifAnnulation.OFFRE_DECLINEE,
        commentaire=comment,
    )


@transaction.atomic
def cancel_dossier(dossier: Dossier, by, motif: MotifAnnulation | str, comment: str = "") -> list[Demande]:
    """Cancel every live demande of a dossier with one motif."""
    if not is_sender(by, dossier):
        raise TransitionError("Vous ne pouvez pas annuler ce dossier.")
    live = dossier.demandes.filter(statut__in=[*OPEN_STATUTS, Statut.ADMISSION_CONFIRMEE]).order_by("pk")
    return [cancel(d, by, motif, comment) for d in live]


def close_for_inactivity(demande_id: int) -> Demande:
    return _transition(
        demande_id,
        "cloturer",
        None,
        side=Side.SYSTEM,
        motif=MotifCloture.DOSSIER_ARCHIVE.label,
        motif_cloture=MotifCloture.DOSSIER_ARCHIVE,
    )
