from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from trajectoire.directory.models import Commune

from .enums import LienContact, Sexe


def _required(message):
    return {"required": True, "error_messages": {"required": message}}


class PatientForm(DsfrBaseForm):
    """Identity with the strict INS traits, then contact details and the main family contact."""

    nom_naissance = forms.CharField(
        label="Nom de naissance", max_length=100, **_required("Indiquez le nom de naissance.")
    )
    prenoms = forms.CharField(
        label="Prénom(s) de naissance",
        max_length=150,
        help_text="Tous les prénoms de l’acte de naissance, dans l’ordre.",
        **_required("Indiquez le ou les prénoms de naissance."),
    )
    date_naissance = forms.DateField(
        label="Date de naissance",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Indiquez la date de naissance.",
            "invalid": "Saisissez une date valide (jj/mm/aaaa).",
        },
    )
    sexe = forms.ChoiceField(
        label="Sexe", choices=Sexe.choices, widget=forms.RadioSelect, **_required("Indiquez le sexe.")
    )
    lieu_naissance_insee = forms.RegexField(
        label="Code INSEE du lieu de naissance",
        regex=r"^(\d[\dAB]\d{3})$",
        required=False,
        max_length=5,
        help_text="5 caractères ; 99xxx pour une naissance à l’étranger.",
        error_messages={"invalid": "Le code INSEE comporte 5 caractères (ex. 69123, 2A004 ou 99100)."},
    )
    nom_usage = forms.CharField(label="Nom utilisé", max_length=100, required=False)
    prenom_usage = forms.CharField(label="Prénom utilisé", max_length=100, required=False)
    adresse = forms.CharField(label="Adresse", max_length=255, required=False)
    code_postal = forms.RegexField(
        label="Code postal",
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": "Le code postal comporte 5 chiffres."},
    )
    ville = forms.CharField(label="Commune", max_length=150, required=False)
    telephone = forms.RegexField(
        label="Téléphone",
        regex=r"^\+?[\d .]{10,20}$",
        required=False,
        error_messages={"invalid": "Saisissez un numéro de téléphone valide (ex. 04 72 00 00 00)."},
    )
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        error_messages={"invalid": "Saisissez une adresse électronique valide."},
    )
    contact_nom = forms.CharField(label="Proche ou référent : nom", max_length=100, required=False)
    contact_prenom = forms.CharField(label="Proche ou référent : prénom", max_length=100, required=False)
    contact_lien = forms.ChoiceField(
        label="Lien avec le patient", choices=[("", "—"), *LienContact.choices], required=False
    )
    contact_telephone = forms.CharField(label="Proche ou référent : téléphone", max_length=20, required=False)
    contact_est_referent = forms.BooleanField(label="C’est la personne référente", required=False)
    je_suis_medecin_traitant = forms.BooleanField(
        label="Je suis le médecin traitant de ce patient", required=False, initial=True
    )
    confirmer_doublon = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_nom_naissance(self):
        return self.cleaned_data["nom_naissance"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        cp, ville = cleaned.get("code_postal"), (cleaned.get("ville") or "").strip()
        cleaned["commune"] = None
        if cp or ville:
            communes = Commune.objects.all()
            if cp:
                communes = communes.filter(postal_codes__contains=cp)
            if ville:
                communes = communes.filter(Q(name__iexact=ville) | Q(search_name__iexact=ville))
            found = list(communes[:2])
            if len(found) == 1 or (found and ville):
                cleaned["commune"] = found[0]
            else:
                self.add_error("ville", "Commune introuvable : vérifiez le code postal et le nom de la commune.")
        if cleaned.get("contact_nom") and not cleaned.get("contact_lien"):
            self.add_error("contact_lien", "Indiquez le lien du proche avec le patient.")
        return cleaned

    def patient_fields(self) -> dict:
        names = [
            "nom_naissance",
            "prenoms",
            "date_naissance",
            "sexe",
            "lieu_naissance_insee",
            "nom_usage",
            "prenom_usage",
            "adresse",
            "commune",
            "telephone",
            "email",
        ]
        return {name: self.cleaned_data.get(name) or ("" if name != "commune" else None) for name in names}
