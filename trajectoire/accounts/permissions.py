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

from .enums import MEDICAL_PROFESSIONS, Role

if TYPE_CHECKING:
    from trajectoire.directory.models import Structure

    from .models import User


def structures_for(user: User, role: Role | str | None = None):
    """The structures the user acts for (optionally with a given habilitation)."""
    from trajectoire.directory.models import Structure

    if not user.is_authenticated or not user.is_active:
        return Structure.objects.none()
    memberships = user.memberships.active()
    if role is not None:
        memberships = memberships.with_role(role)
    return Structure.objects.filter(pk__in=memberships.values("structure_id"))


def has_role(user: User, structure: Structure | int, role: Role | str) -> bool:
    """True when the user holds `role` in `structure` through an active membership."""
    if not user.is_authenticated or not user.is_active:
        return False
    structure_id = structure if isinstance(structure, int) else structure.pk
    return user.memberships.active().with_role(role).filter(structure_id=structure_id).exists()


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
