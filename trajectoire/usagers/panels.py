"""Dashboard panel for usagers: their dossiers and the way to their space."""

from trajectoire.core.panels import Panel

from .services.dossiers import dossiers_for


def espace_famille(request):
    user = request.user
    if not user.is_authenticated or not user.is_usager:
        return None
    return Panel("usagers/_panel.html", {"dossiers": list(dossiers_for(user).select_related("patient")[:5])}, order=5)
