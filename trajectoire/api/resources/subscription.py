"""R4 Subscription (channel rest-hook) on Task: a client subscribes, the task worker delivers (`../tasks.py`)."""

from __future__ import annotations

from django.conf import settings

from .. import endpoints
from ..enums import SubscriptionStatus
from ..fhir import FhirError, NotFound, instant
from ..models import Subscription
from ..registry import ResourceDef, register
from ..search import bundle, check_params
from ..subscriptions import parse_criteria


def subscription(s: Subscription) -> dict:
    resource = {
        "resourceType": "Subscription",
        "id": str(s.pk),
        "meta": {"lastUpdated": instant(s.updated_at)},
        "status": s.status,
        "reason": s.reason or "Suivi des demandes",
        "criteria": s.criteria,
        "channel": {"type": "rest-hook", "endpoint": s.endpoint, "payload": s.payload or None, "header": s.headers},
    }
    if s.error:
        resource["error"] = s.error
    if s.end:
        resource["end"] = instant(s.end)
    resource["channel"] = {k: v for k, v in resource["channel"].items() if v not in (None, [], "")}
    return resource


def _mine(ctx):
    return Subscription.objects.filter(client=ctx.client).order_by("pk")


def read(ctx, pk):
    obj = _mine(ctx).filter(pk=pk).first()
    if obj is None:
        raise NotFound("Abonnement introuvable.")
    return subscription(obj)


def search(ctx, params):
    check_params(DEFINITION, params)
    return bundle(ctx, DEFINITION, _mine(ctx), subscription, params=params)


def _fields(body) -> dict:
    if not isinstance(body, dict) or body.get("resourceType") != "Subscription":
        raise FhirError(400, "Le corps doit être une ressource Subscription.", code="structure")
    channel = body.get("channel") if isinstance(body.get("channel"), dict) else {}
    if channel.get("type") != "rest-hook":
        raise FhirError(422, "Seul le canal « rest-hook » est pris en charge.", code="not-supported")
    criteria = str(body.get("criteria") or "")
    if len(criteria) > 500:
        raise FhirError(422, "criteria : 500 caractères au plus.", code="too-long")
    parse_criteria(criteria)
    endpoint = str(channel.get("endpoint") or "")
    if len(endpoint) > 500:
        raise FhirError(422, "channel.endpoint : 500 caractères au plus.", code="too-long")
    endpoints.check_for_api(endpoint)
    headers = channel.get("header") or []
    endpoints.check_headers(headers)
    payload = str(channel.get("payload") or "")
    if payload not in ("", "application/fhir+json", "application/json"):
        raise FhirError(422, "channel.payload : application/fhir+json seulement.", code="not-supported")
    status = body.get("status") or SubscriptionStatus.ACTIVE
    if status not in (SubscriptionStatus.REQUESTED, SubscriptionStatus.ACTIVE, SubscriptionStatus.OFF):
        raise FhirError(422, "status : requested, active ou off.", code="invalid")
    if status == SubscriptionStatus.REQUESTED:
        status = SubscriptionStatus.ACTIVE  # nothing to hand-check before activating a rest-hook
    return {
        "criteria": criteria,
        "endpoint": endpoint,
        "headers": headers,
        "payload": payload,
        "status": status,
        "reason": str(body.get("reason") or "")[:500],
    }


def _check_room(ctx) -> None:
    """At most API_SUBSCRIPTION_MAX_PER_CLIENT Subscriptions not « off »: each change fans out to all of them."""
    live = _mine(ctx).exclude(status=SubscriptionStatus.OFF).count()
    if live >= settings.API_SUBSCRIPTION_MAX_PER_CLIENT:
        raise FhirError(
            422,
            f"Ce logiciel a déjà {live} abonnements : modifiez-en un ou passez-en un à « off ».",
            code="business-rule",
        )


def create(ctx, body):
    fields = _fields(body)
    if fields["status"] != SubscriptionStatus.OFF:
        _check_room(ctx)
    obj = Subscription.objects.create(client=ctx.client, **fields)
    return subscription(obj)


def update(ctx, pk, body, if_match=""):
    obj = _mine(ctx).filter(pk=pk).first()
    if obj is None:
        raise NotFound("Abonnement introuvable.")
    fields = _fields(body)
    if obj.status == SubscriptionStatus.OFF and fields["status"] != SubscriptionStatus.OFF:
        _check_room(ctx)  # switching back on counts like a new one
    for field, value in fields.items():
        setattr(obj, field, value)
    obj.error, obj.failures = "", 0
    obj.save()
    return subscription(obj)


DEFINITION = register(
    ResourceDef(
        "Subscription",
        "Abonnements rest-hook sur Task (critère « Task » ou « Task?status=… »), notifiés après chaque changement.",
        read=read,
        search=search,
        create=create,
        update=update,
    )
)
