"""e-CPS login through Pro Santé Connect."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.services import record

from .. import identity, psc


@never_cache
def ecps_login(request):
    try:
        return redirect(psc.authorization_url(request))
    except psc.PscError as error:
        messages.error(request, error.message)
        return redirect("proauth:login")


def _refuse(request, code: str, message: str, status: int = 200):
    record(Action.LOGIN_FAILURE, request=request, means=AuthMeans.ECPS, success=False, reason=code)
    return render(
        request, "proauth/ecps_error.html", {"title": "Connexion e-CPS impossible", "message": message}, status=status
    )


@never_cache
def ecps_callback(request):
    try:
        found = psc.complete(request, request.GET)
    except psc.PscError as error:
        return _refuse(request, error.code, error.message, 503 if error.code == "unavailable" else 400)
    user, reason = identity.find_or_create(
        found.national_id, first_name=found.first_name, last_name=found.last_name, profession=found.profession
    )
    if user is None:
        return _refuse(
            request,
            reason,
            "Ce numéro RPPS n’est pas reconnu par la plateforme ou le compte est désactivé. "
            "Rapprochez-vous du référent structure de votre établissement.",
            403,
        )
    target = identity.strong_login(
        request,
        user,
        AuthMeans.ECPS,
        first_name=found.first_name,
        last_name=found.last_name,
        profession=found.profession,
    )
    request.session[psc.ID_TOKEN] = found.id_token  # after login, which may flush the session
    return redirect(target)
