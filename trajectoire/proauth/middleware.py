import time

from django.contrib import messages

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record

from . import devices, sessions


class SessionPolicyMiddleware:
    """Ends a session after 30 minutes without activity or 12 hours after login (settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            reason = sessions.expired_reason(request.session, now)
            if reason:
                record(Action.SESSION_ENDED, request=request, actor=user, reason=reason)
                sessions.close_session(request, reason)
                messages.info(
                    request,
                    "Votre session a expiré après 30 minutes d’inactivité. Veuillez vous reconnecter."
                    if reason == "inactivity"
                    else "Votre session a atteint sa durée maximale de 12 heures. Veuillez vous reconnecter.",
                )
            else:
                sessions.touch(request, now)
        response = self.get_response(request)
        devices.set_cookie(request, response)
        return response
