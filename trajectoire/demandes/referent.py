"""Référent structure services: members and their habilitations, units and their capabilities and places."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from trajectoire.accounts.enums import Kind
from trajectoire.accounts.models import Membership, User
from trajectoire.accounts.permissions import MEDICAL_HABILITATION_REFUSED, may_hold_medical_habilitation
from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.directory.enums import DescriptionSource, PlacesSource
from trajectoire.directory.services import update_free_places
from trajectoire.notifications.services import notify


class ReferentError(Exception):
    """Refused; the message is for the user."""


@transaction.atomic
def add_member(structure, *, rpps: str, first_name: str, last_name: str, email: str, roles: dict, by) -> Membership:
    """Attach a professional (found or pre-created from the RPPS) to the structure with habilitations.

    A pre-created account cannot log in until its holder's first card or e-CPS login (SPEC §2.1).
    """
    if not any(roles.values()):
        raise ReferentError("Choisissez au moins une habilitation.")
    user = User.objects.filter(rpps=rpps).first()
    _check_medical(user, roles, by, was_medical=False)
    if user is None:
        user = User.objects.create_user(
            username=rpps,
            rpps=rpps,
            kind=Kind.PROFESSIONNEL,
            first_name=first_name,
            last_name=last_name,
            email=email,
        )
    membership, created = Membership.objects.get_or_create(
        user=user, structure=structure, defaults={**roles, "created_by": by}
    )
    if not created:
        if membership.is_active:
            raise ReferentError(f"{user} est déjà membre de la structure.")
        for field, value in roles.items():
            setattr(membership, field, value)
        membership.is_active = True
        membership.save()
    record(Action.MEMBERSHIP_CHANGED, actor=by, obj=membership, change="added", **roles)
    _tell_member(membership, by)
    return membership


def _check_medical(user, roles: dict, by, *, was_medical: bool) -> None:
    """The medical habilitation: medical professions only (one rule), and never given to oneself."""
    if not roles.get("is_medical") or (was_medical and may_hold_medical_habilitation(user)):
        return
    if user is None or not may_hold_medical_habilitation(user):
        raise ReferentError(
            MEDICAL_HABILITATION_REFUSED
            + " Pour un compte créé ici, elle peut être donnée après sa première connexion par carte ou e-CPS."
        )
    if user.pk == by.pk:
        raise ReferentError("Vous ne pouvez pas vous donner l’habilitation médicale vous-même : demandez-la à un "
                            "autre référent de la structure.")  # fmt: skip


def _tell_member(membership: Membership, by) -> None:
    labels = [label for field, label in _ROLE_LABELS.items() if getattr(membership, field)]
    state = ", ".join(labels) if membership.is_active and labels else "aucune (rattachement inactif)"
    notify(
        [membership.user],
        title=f"Vos habilitations ont changé à {membership.structure.name}",
        body=f"Habilitations actuelles : {state}. Modifiées par {by}.",
    )


_ROLE_LABELS = {"is_admissions": "admissions", "is_medical": "médical", "is_referent": "référent structure"}


@transaction.atomic
def update_roles(membership: Membership, *, roles: dict, is_active: bool, by) -> Membership:
    if membership.user_id == by.pk and not (roles.get("is_referent") and is_active):
        remaining = Membership.objects.active().filter(structure=membership.structure, is_referent=True)
        if not remaining.exclude(pk=membership.pk).exists():
            raise ReferentError("Vous êtes le seul référent de la structure : nommez d’abord un autre référent.")
    _check_medical(membership.user, roles, by, was_medical=membership.is_medical)
    before = {field: getattr(membership, field) for field in (*roles, "is_active")}
    for field, value in roles.items():
        setattr(membership, field, value)
    membership.is_active = is_active
    membership.save()
    record(Action.MEMBERSHIP_CHANGED, actor=by, obj=membership, change="updated", is_active=is_active, **roles)
    if before != {field: getattr(membership, field) for field in before}:
        _tell_member(membership, by)
    return membership


def update_unite(unite, *, previous_free_places, by):
    """Save the unit's description (already set on the instance by its form). Free places go through the
    directory's one door (`update_free_places`: checked, dated, traced) when the référent changes them or takes
    over a figure another source declared; emptied, they become unknown."""
    places = unite.free_places
    declared = places is not None and (places != previous_free_places or unite.free_places_source != "referent")
    unite.free_places = previous_free_places
    unite.description_source, unite.description_updated_at = DescriptionSource.REFERENT, timezone.now()
    if places is None:
        unite.free_places, unite.free_places_source, unite.free_places_declared_at = None, "", None
    unite.save()
    if declared:
        update_free_places(unite, places, source=PlacesSource.REFERENT, by=by)
    record(Action.UPDATE, actor=by, obj=unite, free_places=unite.free_places)
    return unite
