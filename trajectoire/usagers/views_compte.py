"""Usager account pages: sign-up, e-mail confirmation, login, logout, password reset."""

from django.contrib import auth, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from trajectoire.accounts.permissions import usager_required
from trajectoire.audit.enums import Action, AuthMeans
from trajectoire.audit.services import record
from trajectoire.core.request_context import client_ip

from . import throttle
from .forms import ConnexionForm, EmailForm, InscriptionForm, NouveauMotDePasseForm
from .services import comptes

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _login(request, user):
    auth.login(request, user, backend=BACKEND)
    record(Action.LOGIN_SUCCESS, request=request, actor=user, means=AuthMeans.USAGER_PASSWORD)


@require_http_methods(["GET", "POST"])
def inscription(request):
    form = InscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.ip_allowed(client_ip(request), scope="signup"):
            form.add_error(None, "Trop de tentatives depuis cette connexion. Réessayez dans quelques minutes.")
        else:
            data = form.cleaned_data
            try:
                comptes.signup(
                    email=data["email"],
                    password=data["password"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error("password", exc)
            else:
                # The same answer whether the address was new or already registered (see comptes.signup).
                request.session["inscription_email"] = comptes.normalise_email(data["email"])
                return redirect("usagers:inscription_envoyee")
    return render(request, "usagers/inscription.html", {"title": "Créer mon compte", "form": form})


def inscription_envoyee(request):
    email = request.session.get("inscription_email")
    if not email:
        return redirect("usagers:inscription")
    return render(request, "usagers/inscription_envoyee.html", {"title": "Vérifiez votre messagerie", "email": email})


def confirmer(request, token):
    result = comptes.confirm_email(token)
    if result.error:
        return render(
            request, "usagers/confirmation_erreur.html", {"title": "Lien de confirmation", "error": result.error}
        )
    messages.success(request, "Merci : votre adresse électronique est confirmée.")
    if request.user.is_authenticated and request.user.pk == result.user.pk:
        return redirect("usagers:accueil")
    return redirect("usagers:connexion")


@usager_required
@require_POST
def renvoyer_confirmation(request):
    if request.user.email_confirmed_at is None:
        if throttle.ip_allowed(client_ip(request), scope="resend"):
            comptes.send_confirmation(request.user)
        messages.success(request, f"Un nouveau lien a été envoyé à {request.user.email}. Il est valable 24 heures.")
    return redirect("usagers:accueil")


@require_http_methods(["GET", "POST"])
def connexion(request):
    if request.user.is_authenticated and request.user.is_usager:
        return redirect("usagers:accueil")
    form = ConnexionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = comptes.authenticate(request, form.cleaned_data["email"], form.cleaned_data["password"])
        if result.user is None:
            form.add_error(None, result.error)
        else:
            _login(request, result.user)
            target = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                return redirect(target)
            return redirect("usagers:accueil")
    return render(request, "usagers/connexion.html", {"title": "Espace particuliers : se connecter", "form": form})


@require_POST
def deconnexion(request):
    if request.user.is_authenticated:
        record(Action.LOGOUT, request=request, means=AuthMeans.USAGER_PASSWORD)
    auth.logout(request)
    messages.success(request, "Vous êtes déconnecté.")
    return redirect("usagers:connexion")


@require_http_methods(["GET", "POST"])
def mot_de_passe_oublie(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comptes.request_password_reset(form.cleaned_data["email"], request=request)
        return render(
            request,
            "usagers/mot_de_passe_envoye.html",
            {"title": "Mot de passe oublié", "email": form.cleaned_data["email"]},
        )
    return render(request, "usagers/mot_de_passe_oublie.html", {"title": "Mot de passe oublié", "form": form})


@require_http_methods(["GET", "POST"])
def reinitialiser(request, uidb64, token):
    user = comptes.user_for_reset(uidb64, token)
    if user is None:
        error = (
            "Ce lien n’est plus valable (il est valable 24 heures et ne sert qu’une fois). Demandez un nouveau lien."
        )
        return render(
            request, "usagers/confirmation_erreur.html", {"title": "Lien de réinitialisation", "error": error}
        )
    form = NouveauMotDePasseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        comptes.reset_password(user, form.cleaned_data["password"], request=request)
        messages.success(request, "Votre mot de passe est modifié. Connectez-vous avec le nouveau mot de passe.")
        return redirect("usagers:connexion")
    return render(request, "usagers/reinitialiser.html", {"title": "Nouveau mot de passe", "form": form})
