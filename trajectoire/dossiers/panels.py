"""Dashboard panel: the doctor's recent dossiers and a « Nouveau dossier » button."""

from trajectoire.core.panels import Panel

from .models import Dossier


def mes_dossiers(request):
    user = request.user
    if not user.is_authenticated or not user.is_medical_professional:
        return None
    recent = list(Dossier.objects.visible_to(user).select_related("patient")[:5])
    return Panel("dossiers/_panel.html", {"dossiers": recent}, order=10)
