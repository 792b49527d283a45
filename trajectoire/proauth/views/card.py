"""Card login on the dedicated host name served by nginx with `ssl_verify_client optional`."""

import logging
import secrets

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.services import record

from .. import card, identity
from ..enums import CardFailure

logger = logging.getLogger(__name__)


def _not_recognised(request, failure: CardFailure, detail: str):
    reference = "CPX-" + secrets.token_hex(4).upper()
    logger.warning(
        "card login refused", extra={"event": "card_refused", "reason": failure.value, "reference": reference}
    )
    record(
        Action.LOGIN_FAILURE,
        request=request,
        means=AuthMeans.CARD,
        success=False,
        reason=failure.value,
        detail=detail,
        reference=reference,
    )
    context = {
        "title": "Carte non reconnue",
        "failure": failure,
        "reference": reference,
        "links": settings.CARD_HELP_LINKS,
    }
    return render(request, "proauth/card_error.html", context, status=403)


@never_cache
def card_login(request):
    try:
        found = card.from_request(request)
    except card.CardRefused as refused:
        return _not_recognised(request, refused.failure, refused.detail)
    user, reason = identity.find_or_create(found.national_id, first_name=found.first_name, last_name=found.last_name)
    if user is None:
        return _not_recognised(request, CardFailure.UNKNOWN, reason)
    target = identity.strong_login(
        request, user, AuthMeans.CARD, first_name=found.first_name, last_name=found.last_name
    )
    return redirect(settings.CARD_LOGIN_RETURN_BASE.rstrip("/") + target if settings.CARD_LOGIN_RETURN_BASE else target)
