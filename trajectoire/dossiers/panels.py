"""Dashboard panel: the doctor's recent dossiers and a « Nouveau dossier » button."""

from trajectoire.core.panels import Panel
from trajectoire.patients.models import PATIENT_NAME_FIELDS

from .models import Dossier

# What the panel shows (dossiers/_panel.html): the number, the patient's name, the domain and status.
PANEL_FIELDS = ("numero", "domain", "statut", "patient_id", *(f"patient__{name}" for name in PATIENT_NAME_FIELDS))


def mes_dossiers(request):
    user = request.user
    if not user.is_authenticated or not user.is_medical_professional:
        return None
    recent = list(Dossier.objects.select_related("patient").only(*PANEL_FIELDS).recent_visible(user, 5))
    return Panel("dossiers/_panel.html", {"dossiers": recent}, order=10)
