from django import forms
from django.contrib.auth import password_validation
from django.urls import reverse_lazy
from dsfr.forms import DsfrBaseForm

from trajectoire.directory.enums import StructureType
from trajectoire.dossiers.enums import TypeSejour
from trajectoire.patients.forms import PatientForm

from .services.choix import TYPES


def _req(message):
    return {"required": True, "error_messages": {"required": message}}


PASSWORD_HELP = "Au moins 12 caractères. Évitez un mot de passe déjà utilisé ailleurs."  # noqa: S105 (help text)


class InscriptionForm(DsfrBaseForm):
    first_name = forms.CharField(label="Votre prénom", max_length=150, **_req("Indiquez votre prénom."))
    last_name = forms.CharField(label="Votre nom", max_length=150, **_req("Indiquez votre nom."))
    email = forms.EmailField(
        label="Votre adresse électronique",
        help_text="Un lien de confirmation vous y sera envoyé.",
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse n’est pas valide.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        **_req("Choisissez un mot de passe."),
    )
    password2 = forms.CharField(
        label="Confirmez le mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        **_req("Saisissez le mot de passe une deuxième fois."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password2") and cleaned["password"] != cleaned["password2"]:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return cleaned


class ConnexionForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique",
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse n’est pas valide.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        **_req("Indiquez votre mot de passe."),
    )


class EmailForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique",
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse n’est pas valide.",
        },
    )


class NouveauMotDePasseForm(DsfrBaseForm):
    password = forms.CharField(
        label="Nouveau mot de passe",
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput,
        **_req("Choisissez un mot de passe."),
    )
    password2 = forms.CharField(
        label="Confirmez le mot de passe", widget=forms.PasswordInput, **_req("Saisissez-le une deuxième fois.")
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and password != cleaned.get("password2"):
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif password:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class PersonneForm(PatientForm):
    """The person concerned: the patients' identity form, with the family's own questions."""

    prise_en_charge = forms.ChoiceField(
        label="Type d’établissement recherché",
        choices=[c for c in StructureType.choices if c[0] in TYPES],
        widget=forms.RadioSelect,
        **_req("Choisissez un type d’établissement."),
    )
    type_sejour = forms.ChoiceField(
        label="Type de séjour",
        choices=TypeSejour.choices,
        widget=forms.RadioSelect,
        **_req("Choisissez le type de séjour."),
    )
    lien = forms.CharField(
        label="Votre lien avec la personne",
        help_text="Par exemple : « fille », « fils », « conjoint », « moi-même ».",
        max_length=60,
        **_req("Indiquez votre lien avec la personne."),
    )
    consentement = forms.BooleanField(
        label="La personne concernée (ou son représentant légal) est d’accord pour que je fasse cette démarche.",
        **_req("Cette démarche nécessite l’accord de la personne concernée."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The référent and family contacts are asked in the administrative part (same as the doctor's form).
        dropped = ("je_suis_medecin_traitant", "confirmer_doublon", "contact_est_referent", "contact_nom")
        for name in (*dropped, "contact_prenom", "contact_lien", "contact_telephone"):
            self.fields.pop(name, None)
        self.fields["nom_naissance"].label = "Nom de naissance de la personne"
        self.fields["prenoms"].label = "Prénom(s) de la personne"
        self.fields["adresse"].label = "Adresse actuelle de la personne"


class AidantForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Son adresse électronique",
        error_messages={"required": "Indiquez l’adresse électronique.", "invalid": "Cette adresse n’est pas valide."},
    )
    lien = forms.CharField(label="Son lien avec la personne", max_length=60, required=False)
    consentement = forms.BooleanField(
        label="La personne concernée est d’accord pour que cet aidant voie et suive le dossier.",
        **_req("L’accord de la personne concernée est nécessaire."),
    )


class MedecinRechercheForm(DsfrBaseForm):
    nom = forms.CharField(label="Nom du médecin", max_length=100, required=False)
    commune = forms.CharField(label="Commune du cabinet", max_length=100, required=False)


class RattacherForm(DsfrBaseForm):
    numero = forms.CharField(
        label="Numéro de dossier", help_text="Par exemple GA-2026-000123", max_length=20, **_req("Indiquez le numéro.")
    )
    code = forms.CharField(
        label="Code d’accès",
        help_text="8 caractères, par exemple ABCD-EF23",
        max_length=12,
        **_req("Indiquez le code."),
    )


class RechercheForm(DsfrBaseForm):
    structure_type = forms.ChoiceField(label="Type d’établissement", required=False, widget=forms.RadioSelect)
    commune = forms.CharField(
        label="Près de quelle commune ?",
        help_text="Nom ou code postal. Laissez vide pour chercher près du domicile de la personne.",
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={
                "list": "communes-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("directory:communes"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#communes-suggestions",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        ),
    )
    rayon = forms.TypedChoiceField(
        label="Distance maximale",
        choices=[(10, "10 km"), (20, "20 km"), (30, "30 km"), (50, "50 km"), (100, "100 km")],
        coerce=int,
        initial=30,
        required=False,
    )
    places = forms.BooleanField(label="Seulement les établissements ayant une place libre", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure_type"].choices = [c for c in StructureType.choices if c[0] in TYPES]
