"""Permission helpers every view uses. Access is a queryset: what a user may not act on does not exist.

`structures_for(user, role)` is the only door to "the structures I act for"; `require_role` turns a
refusal into a 404 (the object does not exist for that user) rather than leaking its existence.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from trajectoire.core.prepared import prepared

from .enums import MEDICAL_PROFESSIONS, Role

if TYPE_CHECKING:
    from trajectoire.directory.models import Structure

    from .models import User


MEMO_KEY = "accounts.memberships"


@prepared  # on every page of a structure's member: its SQL is kept (core.prepared)
def _active_memberships(*, user_id: int):
    from .models import Membership

    return (
        Membership.objects.filter(user_id=user_id, is_active=True)
        .select_related("structure")
        .only(*MEMBERSHIP_FIELDS, "structure__name")
        .order_by("pk")
    )


def active_memberships(user: User) -> list:
    """The user's active memberships (habilitations and the structure's name), read once per request.

    Every permission helper below answers from this list, so a page asks the database once however many
    helpers it calls (core.request_context.request_memo; outside a request, each call reads again). A write to
    a membership drops the memo (accounts.signals), so what follows in the same request sees it.
    """
    from trajectoire.core.request_context import request_memo

    if not user.is_authenticated or not user.is_active or user.is_usager:
        return []  # a usager (family space) never acts for a structure, whatever a row says (USAGER_MEMBERSHIP_REFUSED)
    memo = request_memo()
    key = (MEMO_KEY, user.pk)
    if memo is not None and key in memo:
        return memo[key]
    memberships = _active_memberships.all(user_id=user.pk)
    if memo is not None:
        memo[key] = memberships
    return memberships


USAGER_MEMBERSHIP_REFUSED = (
    "Un compte particulier (usager, aidant) ne peut pas être rattaché à une structure : rattachez le compte "
    "professionnel de la personne."
)
MEMBERSHIP_FIELDS = ("user_id", "structure_id", "is_admissions", "is_medical", "is_referent", "is_active")


def structure_ids_for(user: User, role: Role | str | None = None) -> list[int]:
    """Ids of the structures the user acts for (optionally with a given habilitation)."""
    return [m.structure_id for m in active_memberships(user) if role is None or m.has_role(role)]


def structures_named_for(user: User, role: Role | str | None = None) -> list:
    """The structures the user acts for, as loaded with the memberships: only their id and name are read
    (links and labels of the dashboard); anything else of a structure goes through `structures_for`."""
    return [m.structure for m in active_memberships(user) if role is None or m.has_role(role)]


def structures_for(user: User, role: Role | str | None = None):
    """The structures the user acts for (optionally with a given habilitation)."""
    from trajectoire.directory.models import Structure

    return Structure.objects.filter(pk__in=structure_ids_for(user, role))


def has_role(user: User, structure: Structure | int, role: Role | str) -> bool:
    """True when the user holds `role` in `structure` through an active membership."""
    structure_id = structure.pk if hasattr(structure, "pk") else int(structure)
    return any(m.structure_id == structure_id and m.has_role(role) for m in active_memberships(user))


def require_role(user: User, structure: Structure | int, role: Role | str) -> None:
    """Raise Http404 unless the user holds `role` in `structure` (a refusal reveals nothing)."""
    if not has_role(user, structure, role):
        raise Http404("Structure introuvable.")


MEDICAL_HABILITATION_REFUSED = (
    "L’habilitation médicale est réservée aux professions médicales (médecin, infirmier ou infirmière) "
    "connues par le RPPS, la carte CPS ou l’e-CPS."
)


def may_hold_medical_habilitation(user: User) -> bool:
    """The one rule for granting or keeping `Membership.is_medical` (services, forms, admin, demo, imports).

    A professional whose profession, known from the national identity (an RPPS or ADELI number: the
    profession is then read from the card, e-CPS or the Annuaire Santé), is in `MEDICAL_PROFESSIONS`
    (accounts/enums.py, sources there). A staff card (CPE) or an account without a number does not qualify.
    """
    return bool(
        user is not None
        and user.is_professionnel
        and (user.rpps or user.adeli)
        and user.profession in MEDICAL_PROFESSIONS
    )


def _guard(predicate, message: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


professional_required = _guard(
    lambda user: user.is_professionnel, "Cet espace est réservé aux professionnels de santé."
)
medical_required = _guard(
    lambda user: user.is_medical_professional, "Cet espace est réservé aux professionnels médicaux."
)
usager_required = _guard(lambda user: user.is_usager, "Cet espace est réservé aux usagers et aidants.")
observatoire_required = _guard(
    lambda user: user.is_observatoire,
    "Cet espace est réservé aux observatoires (ARS, conseil départemental).",
)


def structure_role_required(role: Role | str):
    """For views taking a `structure_id` URL argument: 404 unless the user holds `role` there."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, structure_id: int, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_role(request.user, structure_id, role)
            return view(request, *args, structure_id=structure_id, **kwargs)

        return wrapped

    return decorator
