from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from trajectoire.accounts.permissions import professional_required
from trajectoire.audit.enums import Action
from trajectoire.audit.services import record

from .forms import PatientForm
from .models import Contact, Patient
from .services import create_patient, find_duplicates


@professional_required
def patient_list(request):
    patients = Patient.objects.visible_to(request.user).select_related("commune").order_by("nom_naissance", "prenoms")
    return render(request, "patients/list.html", {"title": "Mes patients", "patients": patients})


@professional_required
@require_http_methods(["GET", "POST"])
def patient_create(request):
    form = PatientForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = find_duplicates(
            request.user,
            nom_naissance=data["nom_naissance"],
            prenoms=data["prenoms"],
            date_naissance=data["date_naissance"],
            sexe=data["sexe"],
        )
        if not duplicates or data.get("confirmer_doublon"):
            fields = form.patient_fields()
            if data.get("je_suis_medecin_traitant") and request.user.is_medical_professional:
                fields["medecin_traitant"] = request.user
            patient = create_patient(by=request.user, request=request, contacts=_contacts(data), **fields)
            messages.success(request, "Le patient a été créé.")
            return redirect("patients:detail", pk=patient.pk)
        form.data = form.data.copy()
        form.data["confirmer_doublon"] = "on"
    return render(request, "patients/create.html", {"title": "Nouveau patient", "form": form, "duplicates": duplicates})


def _contacts(data):
    if not data.get("contact_nom"):
        return []
    return [
        Contact(
            nom=data["contact_nom"],
            prenom=data.get("contact_prenom", ""),
            lien=data["contact_lien"],
            telephone=data.get("contact_telephone", ""),
            est_referent=bool(data.get("contact_est_referent")),
        )
    ]


@professional_required
def patient_detail(request, pk):
    patient = get_object_or_404(
        Patient.objects.visible_to(request.user).select_related("commune", "medecin_traitant"), pk=pk
    )
    record(Action.VIEW, request=request, obj=patient)
    # The patient's dossiers are listed by the dossiers app (`/dossiers/?patient=<pk>`): patients sits below it.
    return render(
        request, "patients/detail.html", {"title": str(patient), "patient": patient, "contacts": patient.contacts.all()}
    )
