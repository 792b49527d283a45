"""The audit trail helper that every feature calls on each access to patient data and each auth event."""

from __future__ import annotations

from typing import Any

from django.db import models

from trajectoire.core.request_context import client_ip, current_request_id

from .enums import Action, AuthMeans
from .models import AuditEvent


def record(action: Action | str, **fields: Any) -> AuditEvent:
    """Write one audit event (the arguments of `event`). `details` hold codes and identifiers, never personal data."""
    audit = event(action, **fields)
    audit.save(force_insert=True)
    return audit


def event(
    action: Action | str,
    *,
    request=None,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    means: AuthMeans | str = "",
    success: bool = True,
    **details: Any,
) -> AuditEvent:
    """The event `record` would write, unsaved: several of one request are then written by `record_all`."""
    return AuditEvent(**_fields(action, request, actor, obj, object_type, object_id, means, success, details))


def record_all(events: list[AuditEvent]) -> None:
    """Write these few events (`event`) in one INSERT, in their order: the same rows as one `record` each.

    One multi-row INSERT is atomic by itself: the model's own insert (what `save` and `bulk_create` run) without
    the transaction `bulk_create` opens around it, two more round trips to the database. The events keep no pk.
    """
    if events:
        AuditEvent._base_manager._insert(
            events, fields=[f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
        )


def _fields(action, request, actor, obj, object_type, object_id, means, success, details) -> dict:
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return {
        "action": action,
        "actor": actor,
        "means": means,
        "success": success,
        "object_type": object_type,
        "object_id": str(object_id),
        "ip": client_ip(request) if request is not None else None,
        "request_id": current_request_id(),
        "details": details,
    }


def trail_for(obj: models.Model):
    """Every event about one object, newest first."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
