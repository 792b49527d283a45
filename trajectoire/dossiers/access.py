"""Who may see a dossier, and who may see its medical part.

The author doctor and the named `medecin` see a dossier; other apps widen that door by registering
hooks, without this app importing them (imports go down ARCHITECTURE.md's table):

    # trajectoire/demandes/apps.py, in DemandesConfig.ready():
    from trajectoire.dossiers.access import register_medical_access, register_visibility
    register_visibility(lambda user: Q(demandes__unite__structure__in=structures_for(user)))
    register_medical_access(
        lambda user, dossier: dossier.demandes.filter(
            unite__structure__in=structures_for(user, Role.MEDICAL)
        ).exists()
    )

A visibility hook returns a `Q` on Dossier (or None); a medical hook returns True to grant access.
A usager (family) never gets the medical part, whatever the hooks say.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

_visibility_hooks: list[Callable] = []
_medical_hooks: list[Callable] = []


def register_visibility(hook: Callable) -> None:
    if hook not in _visibility_hooks:
        _visibility_hooks.append(hook)


def register_medical_access(hook: Callable) -> None:
    if hook not in _medical_hooks:
        _medical_hooks.append(hook)


def visibility_q(user) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    q = Q(created_by=user) | Q(medecin=user)
    for hook in _visibility_hooks:
        extra = hook(user)
        if extra is not None:
            q |= extra
    return q


def named_on(user, dossier) -> bool:
    """The user is the dossier's author or its named doctor, read from the row (no query): the first two ways of
    `visibility_q` and of the demandes' senders. Callers that need an active account check it themselves."""
    return user.is_authenticated and user.pk in (dossier.created_by_id, dossier.medecin_id)


def can_view_medical(user, dossier) -> bool:
    """The medical door: author or named doctor (medical professionals), or a registered grant."""
    if not user.is_authenticated or not user.is_active or user.is_usager:
        return False
    if user.is_medical_professional and named_on(user, dossier):
        return True
    return any(hook(user, dossier) for hook in _medical_hooks)


def can_edit(user, dossier) -> bool:
    """Writing: the author and the named doctor, while the dossier is a draft or transmitted."""
    return named_on(user, dossier)
