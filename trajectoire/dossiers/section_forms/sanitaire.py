"""Sanitaire (suites de soins) sections: SMR, HAD, USP, SSIAD/SPASAD (SPEC §3.2)."""

from django import forms
from django.utils import timezone

from .base import OUI_NON, SectionForm, besoins_field, choice, required, text

AUTONOMIE = [("autonome", "Autonome"), ("aide_partielle", "Aide partielle"), ("aide_totale", "Aide totale")]


class AdministratifSanitaireForm(SectionForm):
    lieu_actuel = choice(
        "Lieu de prise en charge actuel",
        [
            ("domicile", "Domicile"),
            ("mco", "Hospitalisé(e) en court séjour (MCO)"),
            ("smr", "En SMR"),
            ("etablissement", "En établissement médico-social"),
        ],
    )
    service_adresseur = forms.CharField(label="Service et établissement adresseur", max_length=200, required=False)
    protection_juridique = choice(
        "Mesure de protection juridique",
        [
            ("aucune", "Aucune"),
            ("sauvegarde", "Sauvegarde de justice"),
            ("curatelle", "Curatelle"),
            ("tutelle", "Tutelle"),
        ],
    )
    referent_nom = forms.CharField(max_length=150, **required("Personne à prévenir : nom et prénom"))
    referent_telephone = forms.CharField(max_length=20, **required("Personne à prévenir : téléphone"))


class MedicalSanitaireForm(SectionForm):
    motif = text("Motif de la demande", "Indiquez le motif de la demande.")
    diagnostic = text("Diagnostic principal", "Indiquez le diagnostic principal.")
    antecedents = text("Antécédents", "Décrivez les antécédents (ou « aucun »).")
    traitement = text("Traitement en cours", "Listez le traitement en cours (ou « aucun »).")
    pronostic = choice(
        "Pronostic",
        [("favorable", "Favorable"), ("reserve", "Réservé"), ("palliatif", "Situation palliative")],
    )
    isolement = choice(
        "Isolement ou infection",
        [
            ("aucun", "Aucun"),
            ("contact", "Précautions contact"),
            ("gouttelettes", "Gouttelettes"),
            ("air", "Air"),
            ("bmr_bhre", "BMR ou BHRe"),
        ],
    )
    infection_precisions = forms.CharField(label="Germe ou précisions", max_length=200, required=False)
    poids = forms.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=1,
        max_value=400,
        **required(
            "Poids (kg)",
            "Indiquez le poids en kilogrammes.",
            error_messages={
                "min_value": "Le poids doit être compris entre 1 et 400 kg.",
                "max_value": "Le poids doit être compris entre 1 et 400 kg.",
                "invalid": "Indiquez le poids en kilogrammes (ex. 72,5).",
            },
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("isolement") not in (None, "", "aucun") and not cleaned.get("infection_precisions"):
            self.add_error("infection_precisions", "Précisez le germe ou le motif de l’isolement.")
        return cleaned


class BesoinsSoinsForm(SectionForm):
    besoins = besoins_field()
    aucun_besoin = forms.BooleanField(label="Aucun besoin particulier", required=False)
    precisions = text("Précisions sur les soins", optional=True, rows=2)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("besoins") and not cleaned.get("aucun_besoin"):
            self.add_error("besoins", "Cochez au moins un besoin, ou « Aucun besoin particulier ».")
        if cleaned.get("besoins") and cleaned.get("aucun_besoin"):
            self.add_error("aucun_besoin", "Décochez « Aucun besoin particulier » : des besoins sont cochés.")
        return cleaned


class ReeducationForm(SectionForm):
    reeducations = forms.MultipleChoiceField(
        label="Rééducation nécessaire",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("kine", "Kinésithérapie"),
            ("ergo", "Ergothérapie"),
            ("orthophonie", "Orthophonie"),
            ("psychomotricite", "Psychomotricité"),
            ("apa", "Activité physique adaptée"),
            ("dietetique", "Diététique"),
        ],
    )
    appui = choice(
        "Appui autorisé",
        [
            ("total", "Appui total"),
            ("partiel", "Appui partiel"),
            ("interdit", "Appui interdit"),
            ("sans_objet", "Sans objet"),
        ],
    )
    objectifs = text("Objectifs de la rééducation", "Indiquez les objectifs (ou « sans objet »).", rows=2)


class AutonomieForm(SectionForm):
    deplacements = choice("Déplacements", AUTONOMIE)
    toilette = choice("Toilette", AUTONOMIE)
    alimentation = choice("Alimentation", AUTONOMIE)
    continence = choice(
        "Continence",
        [("continent", "Continent"), ("partielle", "Incontinence partielle"), ("totale", "Incontinence totale")],
    )
    troubles_cognitifs = choice("Troubles cognitifs", OUI_NON)


class SocialForm(SectionForm):
    vit_seul = choice("Vit seul(e)", OUI_NON)
    aidant = forms.CharField(label="Aidant principal (nom, lien)", max_length=200, required=False)
    situation_sociale = text("Situation sociale", "Décrivez la situation sociale.", rows=2)
    projet_sortie = choice(
        "Projet de sortie",
        [
            ("domicile", "Retour à domicile"),
            ("domicile_aides", "Retour à domicile avec aides"),
            ("ehpad", "Entrée en EHPAD"),
            ("autre", "Autre, à préciser"),
        ],
    )
    projet_precisions = text("Précisions sur le projet de sortie", optional=True, rows=2)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("projet_sortie") == "autre" and not cleaned.get("projet_precisions"):
            self.add_error("projet_precisions", "Précisez le projet de sortie.")
        return cleaned


class PlanificationForm(SectionForm):
    date_souhaitee = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        **required("Date d’admission souhaitée", "Indiquez la date d’admission souhaitée (jj/mm/aaaa)."),
    )
    urgence = choice("Urgence", [("normale", "Non urgent"), ("urgente", "Urgent (sous 48 h)")])
    motif_urgence = text("Motif de l’urgence", optional=True, rows=2)

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date_souhaitee")
        if day and day < timezone.localdate():
            self.add_error("date_souhaitee", "La date souhaitée ne peut pas être passée.")
        if cleaned.get("urgence") == "urgente" and not cleaned.get("motif_urgence"):
            self.add_error("motif_urgence", "Indiquez le motif de l’urgence.")
        return cleaned
