"""First-login set-up (e-mail + password), active sessions, logout."""

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trajectoire.accounts import annuaire
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.services import record

from .. import psc, services, sessions
from ..enums import OtpPurpose
from ..forms import AccountSetupForm, CodeForm
from ..models import OtpChallenge, UserSession
from ..otp import mask_email

SETUP = "proauth_setup"
STRONG_MEANS = {AuthMeans.CARD, AuthMeans.ECPS}


def _strong_session(request) -> bool:
    return request.session.get(sessions.MEANS) in STRONG_MEANS


@login_required
@never_cache
def setup(request):
    """Choose (or reset) the password and confirm the e-mail address: only after a card or e-CPS login."""
    if not _strong_session(request):
        messages.warning(
            request, "Pour choisir ou changer votre mot de passe, connectez-vous par carte CPx ou par e-CPS."
        )
        return redirect("core:dashboard")
    user = request.user
    form = AccountSetupForm(request.POST or None, user=user, initial={"email": user.email})
    if request.method == "POST" and form.is_valid():
        user.set_password(form.cleaned_data["password1"])
        user.save(update_fields=["password"])
        old_key = request.session.session_key
        auth.update_session_auth_hash(request, user)  # new session key: keep "Mes sessions actives" in step
        UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
        record(Action.PASSWORD_CHANGED, request=request, actor=user, means=request.session.get(sessions.MEANS))
        email = form.cleaned_data["email"]
        if email == user.email and user.email_confirmed_at:
            messages.success(request, "Votre mot de passe est enregistré.")
            return redirect("core:dashboard")
        try:
            challenge = services.send_new_code(request, user, OtpPurpose.EMAIL, to=email)
        except services.CodeLimit as exc:
            messages.error(request, str(exc))
            return redirect("core:dashboard")
        request.session[SETUP] = {"challenge": challenge.pk, "email": email}
        return redirect("proauth:setup_code")
    first = user.email_confirmed_at is None
    title = "Première connexion" if first else "Mon mot de passe"
    # Where the Annuaire Santé says the person practises: each structure's référent confirms the attachment.
    structures = list(annuaire.practice_structures(user)) if first else []
    return render(request, "proauth/setup.html", {"title": title, "form": form, "structures": structures})


@login_required
@never_cache
def setup_code(request):
    pending = request.session.get(SETUP) or {}
    challenge = OtpChallenge.objects.filter(pk=pending.get("challenge"), user=request.user).first()
    if challenge is None:
        return redirect("proauth:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, message = services.code_step(
            request, request.user, challenge.pk, form.cleaned_data["code"], OtpPurpose.EMAIL
        )
        if accepted:
            user = request.user
            user.email, user.email_confirmed_at = pending["email"], timezone.now()
            user.save(update_fields=["email", "email_confirmed_at"])
            request.session.pop(SETUP, None)
            messages.success(request, "Votre adresse électronique est confirmée et votre mot de passe enregistré.")
            return redirect("core:dashboard")
        form.add_error("code", message)
    context = {
        "title": "Confirmez votre adresse électronique",
        "form": form,
        "masked_email": mask_email(challenge.sent_to),
    }
    return render(request, "proauth/setup_code.html", context)


@login_required
@never_cache
def active_sessions(request):
    rows = sessions.active_sessions(request.user)
    current = request.session.session_key
    return render(
        request,
        "proauth/sessions.html",
        {"title": "Mes sessions actives", "rows": rows, "current": current},
    )


@login_required
@require_POST
def end_session(request, pk: int):
    row = get_object_or_404(UserSession.objects.filter(user=request.user), pk=pk)
    is_current = row.session_key == request.session.session_key
    sessions.end_sessions(request, request.user, [row])
    if is_current:
        auth.logout(request)
        return redirect("proauth:login")
    messages.success(request, "La session a été terminée.")
    return redirect("proauth:sessions")


@login_required
@require_POST
def end_all_sessions(request):
    user = request.user
    count = sessions.end_sessions(request, user, UserSession.objects.filter(user=user))
    record(Action.LOGOUT, request=request, actor=user, everywhere=True, count=count)
    auth.logout(request)
    messages.success(request, "Vous êtes déconnecté de toutes vos sessions.")
    return redirect("core:home")


@require_POST
def logout(request):
    end_session_url = psc.end_session_url(request)
    if request.user.is_authenticated:
        record(Action.LOGOUT, request=request, means=request.session.get(sessions.MEANS, ""))
    sessions.close_session(request)
    if end_session_url:
        return redirect(end_session_url)
    messages.success(request, "Vous êtes déconnecté.")
    return redirect("core:home")
