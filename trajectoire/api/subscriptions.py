"""Which Subscriptions a demande's change concerns, and their delivery after commit by the task worker."""

from __future__ import annotations

from urllib.parse import parse_qsl

from .fhir import FhirError

SUPPORTED = {"status", "business-status", "owner"}


def parse_criteria(criteria: str) -> dict[str, set[str]]:
    """`Task`, `Task?status=accepted,rejected`, `Task?owner=HealthcareService/3` → {param: values}."""
    resource_type, _, query = criteria.partition("?")
    if resource_type != "Task":
        raise FhirError(422, "criteria : seuls les abonnements sur « Task » sont pris en charge.", code="not-supported")
    filters: dict[str, set[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in SUPPORTED or not value:
            raise FhirError(422, f"criteria : paramètre « {name[:40]} » non pris en charge.", code="not-supported")
        filters.setdefault(name, set()).update(v.rpartition("|")[2] for v in value.split(","))
    return filters


def matches(filters: dict[str, set[str]], resource: dict) -> bool:
    values = {
        "status": resource["status"],
        "business-status": resource["businessStatus"]["coding"][0]["code"],
        "owner": resource["owner"]["reference"],
    }
    return all(values[name] in wanted for name, wanted in filters.items())


def on_demande_changed(sender, demande, action, **kwargs) -> None:
    """In the worker, after the change committed (`demandes.tasks.announce`): one delivery task per active
    Subscription of a client that may see the demande (its structure's software, or the software of one of its
    senders); `deliver` checks again with the querysets."""
    from django.db.models import Q

    from trajectoire.demandes.notify import senders_of

    from .enums import SubscriptionStatus
    from .models import Subscription
    from .tasks import deliver

    parties = Q(client__structure_id=demande.structure_id) | Q(client__user__in=[u.pk for u in senders_of(demande)])
    subscriptions = Subscription.objects.filter(parties, status=SubscriptionStatus.ACTIVE, client__is_active=True)
    for subscription_id in subscriptions.values_list("pk", flat=True):
        deliver.enqueue(subscription_id, demande.pk, 1)
