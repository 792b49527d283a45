"""Who sees which demande. A structure sees only its own demandes, never another structure's on the same dossier."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from trajectoire.accounts.permissions import active_memberships
from trajectoire.directory.models import Structure
from trajectoire.dossiers.access import named_on
from trajectoire.dossiers.models import Dossier

from .models import Demande

_sender_hooks: list = []
_recipient_hooks: list = []
_dossier_url_hooks: list = []


def register_sender(hook, *, recipients=None, dossier_url=None) -> None:
    """Let another app (e.g. the family space) name more senders.

    hook(user) -> Q on Dossier or None: the dossiers the user sends;
    recipients(dossier) -> users told about answers; dossier_url(user, dossier) -> the page where that user
    follows the dossier (or None when the user is not theirs).
    """
    for registry, item in ((_sender_hooks, hook), (_recipient_hooks, recipients), (_dossier_url_hooks, dossier_url)):
        if item is not None and item not in registry:
            registry.append(item)


def dossier_url_for(user, dossier) -> str:
    """Where this user follows the dossier: the family's own page, or the professionals' dossier page."""
    for hook in _dossier_url_hooks:
        url = hook(user, dossier)
        if url:
            return url
    return reverse("dossiers:detail", args=[dossier.pk])


def sender_dossiers(user):
    """Dossiers the user sends: the author, the doctor in charge, and what registered hooks add."""
    if not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    q = Q(created_by=user) | Q(medecin=user)
    for hook in _sender_hooks:
        extra = hook(user)
        if extra is not None:
            q |= extra
    return Dossier.objects.filter(q)


def sent_demandes_q(user) -> Q:
    """Filter of the demandes of `sender_dossiers(user)`, for a demande queryset.

    Without a registered sender hook for this user (a professional), the two ways are read on the demande's own
    dossier join (`dossier__created_by`, `dossier__medecin`, each one row per demande): the same demandes as
    `dossier__in=sender_dossiers(user)`, without its semi-join, which cost PostgreSQL ≈ 2 ms more planning per
    list query on the national volume beside the joins a row shows (docs/performance.md). A hook (the family's
    aidants, a multi-valued relation) keeps the subquery."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if any(hook(user) is not None for hook in _sender_hooks):
        return Q(dossier__in=sender_dossiers(user).values("pk"))
    return Q(dossier__created_by=user) | Q(dossier__medecin=user)


def senders(dossier: Dossier) -> list:
    """Who hears about a demande's answers on the sender side: author, doctor, and registered recipients."""
    users = _author_and_doctor(dossier)
    for hook in _recipient_hooks:
        users += list(hook(dossier))
    return list({u.pk: u for u in users if u is not None}.values())


def _author_and_doctor(dossier: Dossier) -> list:
    """`[dossier.created_by, dossier.medecin]`, those not loaded with the dossier read in one query, not two."""
    fields = [Dossier._meta.get_field("created_by"), Dossier._meta.get_field("medecin")]
    missing = {getattr(dossier, f.attname) for f in fields if getattr(dossier, f.attname) and not f.is_cached(dossier)}
    if missing:
        found = fields[0].related_model._base_manager.in_bulk(missing)
        for f in fields:
            if not f.is_cached(dossier) and getattr(dossier, f.attname) in found:
                f.set_cached_value(dossier, found[getattr(dossier, f.attname)])  # as `dossier.created_by` would
    return [f.get_cached_value(dossier, default=None) for f in fields]


def is_sender(user, dossier: Dossier) -> bool:
    """`dossier` is one of `sender_dossiers(user)`: answered from the row for its author and doctor (the first two
    ways of `sender_dossiers`), by a query for anyone else (registered senders)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if dossier.pk is not None and named_on(user, dossier):
        return True
    return sender_dossiers(user).filter(pk=dossier.pk).exists()


def receiving_structures(user):
    """Structures where the user may answer demandes (admissions or medical habilitation).

    The user's few structure ids, written in the query (not an OR of two membership subqueries): PostgreSQL
    then walks the demande indexes from them instead of scanning every structure (docs/performance.md).
    """
    return Structure.objects.filter(pk__in=receiving_structure_ids(user))


def receiving_structure_ids(user) -> list[int]:
    """Ids of `receiving_structures`, from the request's memberships (accounts.permissions.active_memberships)."""
    return [m.structure_id for m in active_memberships(user) if m.is_admissions or m.is_medical]


def received_dossiers_q(user) -> Q:
    """The dossiers a structure sees because it received a demande on them (the visibility hook, apps.py)."""
    return Q(demandes__structure_id__in=receiving_structure_ids(user))


def received_dossier_ids(user, demandes) -> set[int]:
    """The dossiers of these (loaded) demandes that `received_dossiers_q` lets the user see, without a query:
    those of a demande sent to one of the user's receiving structures."""
    structures = set(receiving_structure_ids(user))
    return {d.dossier_id for d in demandes if d.structure_id in structures}


def demandes_visible_to(user):
    if not user.is_authenticated:
        return Demande.objects.none()
    return Demande.objects.filter(
        Q(structure_id__in=receiving_structure_ids(user)) | Q(dossier__in=sender_dossiers(user).values("pk"))
    )


def inbox_for(user):
    return Demande.objects.filter(structure_id__in=receiving_structure_ids(user))
