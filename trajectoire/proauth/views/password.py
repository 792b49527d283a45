"""RPPS + password, then the 6-digit code received by e-mail ("J'ai reçu mon code")."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trajectoire.audit.enums import AuthMeans

from .. import services, sessions
from ..forms import CodeForm, PasswordLoginForm
from ..models import OtpChallenge
from ..otp import mask_email

PENDING = "proauth_pending"


def _next_url(request, default="/tableau-de-bord/"):
    target = request.session.get("proauth_next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@never_cache
def login(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    if "next" in request.GET:
        request.session["proauth_next"] = request.GET["next"]
    form = PasswordLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = services.password_step(request, form.cleaned_data["rpps"], form.cleaned_data["password"])
        if step.error:
            form.add_error(None, step.error)
        else:
            request.session[PENDING] = {"user": step.user.pk, "challenge": step.challenge.pk}
            return redirect("proauth:code")
    context = {"title": "Se connecter", "form": form, "card_login_url": settings.CARD_LOGIN_URL}
    return render(request, "proauth/login.html", context)


def _pending(request):
    pending = request.session.get(PENDING) or {}
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    challenge = OtpChallenge.objects.filter(pk=pending.get("challenge"), user=user).first() if user else None
    return user, challenge


@never_cache
def code(request):
    user, challenge = _pending(request)
    if challenge is None:
        messages.info(request, "Saisissez d’abord votre numéro RPPS et votre mot de passe.")
        return redirect("proauth:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, message = services.code_step(request, user, challenge.pk, form.cleaned_data["code"].strip())
        if accepted:
            target = _next_url(request)
            request.session.pop(PENDING, None)
            request.session.pop("proauth_next", None)
            sessions.open_session(request, user, AuthMeans.PASSWORD_OTP)
            return redirect(target)
        form.add_error("code", message)
    context = {
        "title": "J’ai reçu mon code",
        "form": form,
        "masked_email": mask_email(challenge.sent_to),
        "resend_wait": services.resend_wait(user),
    }
    return render(request, "proauth/code.html", context)


@require_POST
def resend_code(request):
    user, challenge = _pending(request)
    if challenge is None:
        return redirect("proauth:login")
    wait = services.resend_wait(user)
    if wait:
        messages.warning(request, f"Patientez encore {wait} secondes avant de demander un nouveau code.")
    else:
        try:
            new = services.send_new_code(request, user)
        except services.CodeLimit as exc:
            messages.error(request, str(exc))
            return redirect("proauth:code")
        request.session[PENDING] = {"user": user.pk, "challenge": new.pk}
        messages.success(
            request, f"Un nouveau code a été envoyé à {mask_email(new.sent_to)}. L’ancien ne fonctionne plus."
        )
    return redirect("proauth:code")
