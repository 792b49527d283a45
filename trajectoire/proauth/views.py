from django.contrib import auth, messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record


def login(request):
    return render(request, "proauth/login.html", {"title": "Se connecter"})


def card_login(request):
    messages.info(request, "La connexion par carte CPx sera bientôt disponible.")
    return redirect("proauth:login")


def ecps_login(request):
    messages.info(request, "La connexion par e-CPS sera bientôt disponible.")
    return redirect("proauth:login")


@require_POST
def logout(request):
    if request.user.is_authenticated:
        record(Action.LOGOUT, request=request)
    auth.logout(request)
    messages.success(request, "Vous êtes déconnecté.")
    return redirect("core:home")
