"""The family's doors: a usager only; a dossier only through `dossiers_for(user)` (others get a 404)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .services.dossiers import dossiers_for


def famille_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("usagers:connexion"))
        if not request.user.is_usager:
            raise PermissionDenied("Cet espace est réservé aux particuliers (personnes concernées et aidants).")
        return view(request, *args, **kwargs)

    return wrapped


def dossier_or_404(user, pk):
    return get_object_or_404(dossiers_for(user).select_related("patient", "medecin"), pk=pk)
