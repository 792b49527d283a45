"""Rest-hook delivery, run by the task worker: POST the Task to the subscriber, retried with backoff."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record

logger = logging.getLogger(__name__)


@task()
def deliver(subscription_id: int, demande_id: int, attempt: int) -> str:
    """Deliver one change to one Subscription, if its client sees the demande and the criteria match."""
    from . import endpoints
    from .auth import ApiContext
    from .enums import SubscriptionStatus
    from .fhir import MEDIA_TYPE, FhirError
    from .models import Subscription
    from .resources.task import get_demande
    from .resources.task import task as task_resource
    from .subscriptions import matches, parse_criteria

    subscription = Subscription.objects.select_related("client__user").filter(pk=subscription_id).first()
    if subscription is None or subscription.status != SubscriptionStatus.ACTIVE or not subscription.client.is_active:
        return "inactive"
    ctx = ApiContext(client=subscription.client)
    try:
        resource = task_resource(get_demande(ctx, demande_id))  # what the client may see, nothing more
        if not matches(parse_criteria(subscription.criteria), resource):
            return "not matching"
    except FhirError:
        return "not visible"
    try:
        endpoints.check(subscription.endpoint)  # again: the name may resolve elsewhere since it was written
    except endpoints.EndpointRefused:
        return _failed(subscription, demande_id, settings.API_SUBSCRIPTION_MAX_ATTEMPTS, "adresse refusée")
    headers = {"Content-Type": MEDIA_TYPE}
    for header in subscription.headers:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    try:
        # R4 rest-hook with a payload: the endpoint is a service base and the resource is PUT there.
        url = f"{subscription.endpoint.rstrip('/')}/Task/{demande_id}"
        response = httpx.put(url, json=resource, headers=headers, timeout=10, follow_redirects=False)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        return _failed(subscription, demande_id, attempt, type(exc).__name__)
    Subscription.objects.filter(pk=subscription.pk).update(failures=0, error="", last_delivered_at=timezone.now())
    record(
        Action.VIEW,
        actor=subscription.client.user,
        object_type="demandes.demande",
        object_id=demande_id,
        api_client=subscription.client.client_id,
        subscription=subscription.pk,
    )
    return "delivered"


def _failed(subscription, demande_id: int, attempt: int, error: str) -> str:
    from .enums import SubscriptionStatus
    from .models import Subscription

    final = attempt >= settings.API_SUBSCRIPTION_MAX_ATTEMPTS
    Subscription.objects.filter(pk=subscription.pk).update(
        failures=subscription.failures + 1,
        error=f"Notification impossible ({error}), essai {attempt}.",
        **({"status": SubscriptionStatus.ERROR} if final else {}),
    )
    logger.warning("subscription delivery failed", extra={"event": "fhir_subscription_retry", "count": attempt})
    if not final and default_task_backend.supports_defer:
        delay = timedelta(seconds=30 * 2 ** (attempt - 1))
        deliver.using(run_after=timezone.now() + delay).enqueue(subscription.pk, demande_id, attempt + 1)
    return "failed"
