"""Grand Âge sections, following the Cerfa n° 14732*03 (administrative and medical parts).

Source: « Dossier de demande d'admission en EHPAD », Cerfa n° 14732*03, model fixed by the arrêté du
25 novembre 2019 (JO du 12 décembre 2019), which added the accueil de jour, the accueil de nuit and the
hébergement temporaire to the single form (https://retout.fr/articles/medico-social-dossier-unique-dadmission-en-ehpad)
— the stay types are vérifiés; the other fields and their order follow the review of issue 15 (the form's
own text was not retrieved): non vérifié field by field, see docs/clinical-rules.md.
The type of stay is chosen once, when the dossier is created (`Dossier.type_sejour`); the référent is the
patient record's référent contact, prefilled here and written back on validation (one place).
"""

from django import forms
from django.db import transaction

from trajectoire.dossiers import aggir
from trajectoire.dossiers.enums import TypeSejour
from trajectoire.patients.enums import LienContact

from .base import OUI_NON, SectionForm, besoins_field, choice, required, text

PROTECTION = [
    ("aucune", "Aucune"),
    ("sauvegarde", "Sauvegarde de justice"),
    ("curatelle", "Curatelle"),
    ("tutelle", "Tutelle"),
    ("habilitation_familiale", "Habilitation familiale"),
]
DEMANDE_EN_COURS = [("oui", "Oui"), ("non", "Non"), ("en_cours", "Demande en cours")]
DEFICIENCE = [
    ("aucune", "Aucune"),
    ("appareillee", "Compensée (lunettes, appareil)"),
    ("severe", "Sévère, non compensée"),
]


def _date(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": f"« {label} » : date attendue au format jj/mm/aaaa."},
        **kwargs,
    )


class AdministratifGrandAgeForm(SectionForm):
    # Hébergement temporaire: its dates or its duration (Cerfa 14732*03, type d'accueil demandé).
    temporaire_debut = _date("Séjour temporaire : date de début", required=False)
    temporaire_fin = _date("Séjour temporaire : date de fin", required=False)
    temporaire_duree = forms.IntegerField(
        label="Séjour temporaire : durée souhaitée (en jours)",
        required=False,
        min_value=1,
        max_value=90,
        error_messages={
            "min_value": "La durée doit être comprise entre 1 et 90 jours.",
            "max_value": "La durée doit être comprise entre 1 et 90 jours.",
        },
    )
    date_entree_souhaitee = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        **required("Date d’entrée souhaitée", "Indiquez la date d’entrée souhaitée (jj/mm/aaaa)."),
    )
    situation_familiale = choice(
        "Situation familiale",
        [
            ("celibataire", "Célibataire"),
            ("marie", "Marié(e) ou pacsé(e)"),
            ("veuf", "Veuf ou veuve"),
            ("divorce", "Divorcé(e) ou séparé(e)"),
        ],
    )
    lieu_de_vie = choice(
        "Lieu de vie actuel",
        [
            ("domicile", "Domicile"),
            ("famille", "Chez un proche"),
            ("hopital", "Hospitalisé(e)"),
            ("etablissement", "En établissement"),
        ],
    )
    referent_nom = forms.CharField(max_length=100, **required("Personne référente : nom"))
    referent_prenom = forms.CharField(label="Personne référente : prénom", max_length=100, required=False)
    referent_telephone = forms.CharField(max_length=20, **required("Personne référente : téléphone"))
    referent_lien = choice("Personne référente : lien avec la personne", LienContact.choices, radio=False)
    protection_juridique = choice("Mesure de protection juridique", PROTECTION)
    caisse_retraite = forms.CharField(label="Caisse de retraite principale", max_length=100, required=False)
    ressources_mensuelles = forms.DecimalField(
        label="Ressources mensuelles (en euros)",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={"min_value": "Les ressources ne peuvent pas être négatives."},
    )
    apa = choice("Allocation personnalisée d’autonomie (APA)", DEMANDE_EN_COURS)
    aide_sociale = choice("Aide sociale à l’hébergement", DEMANDE_EN_COURS)
    aide_logement = choice("Aide au logement (APL ou ALS)", DEMANDE_EN_COURS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.dossier is not None:
            self.initial.update(referent_initial(self.dossier.patient))

    @property
    def temporaire(self) -> bool:
        return self.dossier is not None and self.dossier.type_sejour == TypeSejour.TEMPORAIRE

    def clean(self):
        cleaned = super().clean()
        debut, fin, duree = (cleaned.get(k) for k in ("temporaire_debut", "temporaire_fin", "temporaire_duree"))
        if self.temporaire and not duree and not (debut and fin):
            self.add_error(
                "temporaire_duree",
                "Pour un hébergement temporaire, indiquez ses dates de début et de fin, ou sa durée.",
            )
        if debut and fin and fin < debut:
            self.add_error("temporaire_fin", "La date de fin du séjour temporaire précède sa date de début.")
        return cleaned

    def extra_context(self) -> dict:
        if self.dossier is None:
            return {}
        return {"type_sejour": self.dossier.get_type_sejour_display(), "temporaire": self.temporaire}

    def on_validated(self, *, by) -> None:
        save_referent(self.dossier.patient, self.cleaned_data)


def referent_initial(patient) -> dict:
    """The patient record's référent contact, as this section's initial values."""
    contact = patient.contacts.filter(est_referent=True).first()
    if contact is None:
        return {}
    return {
        "referent_nom": contact.nom,
        "referent_prenom": contact.prenom,
        "referent_telephone": contact.telephone,
        "referent_lien": contact.lien,
    }


@transaction.atomic
def save_referent(patient, cleaned: dict) -> None:
    """The référent typed in the dossier becomes (or updates) the patient record's référent contact."""
    fields = {
        "nom": cleaned["referent_nom"],
        "prenom": cleaned.get("referent_prenom") or "",
        "telephone": cleaned["referent_telephone"],
        "lien": cleaned["referent_lien"],
    }
    contact = patient.contacts.select_for_update().filter(est_referent=True).first()
    if contact is None:
        patient.contacts.create(est_referent=True, **fields)
    elif any(getattr(contact, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(contact, key, value)
        contact.save(update_fields=list(fields))


CHUTES = [("0", "Aucune"), ("1", "Une"), ("2", "Deux ou plus")]


class MedicalGrandAgeForm(SectionForm):
    antecedents = text("Antécédents médicaux et chirurgicaux", "Décrivez les antécédents (ou « aucun »).")
    pathologies = text("Pathologies actuelles", "Décrivez les pathologies actuelles.")
    deficience_visuelle = choice("Déficience sensorielle : vue", DEFICIENCE)
    deficience_auditive = choice("Déficience sensorielle : audition", DEFICIENCE)
    risque_chute = choice("Risque de chute", OUI_NON)
    chutes_6_mois = choice("Chutes au cours des 6 derniers mois", CHUTES)
    traitements = text("Traitements en cours", "Listez les traitements en cours (ou « aucun »).")
    besoins = besoins_field()
    reeducation_en_cours = choice("Rééducation en cours (kinésithérapie, orthophonie…)", OUI_NON)
    reeducation_precisions = text("Précisions sur la rééducation", optional=True, rows=2)
    troubles_cognitifs = choice(
        "Troubles cognitifs",
        [("aucun", "Aucun"), ("legers", "Légers"), ("moderes", "Modérés"), ("severes", "Sévères")],
    )
    diagnostic_neuro = choice("Diagnostic de maladie neuro-évolutive posé", OUI_NON, optional=True)
    comportement = forms.MultipleChoiceField(
        label="Troubles du comportement",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("deambulation", "Déambulation"),
            ("fugue", "Risque de fugue"),
            ("agressivite", "Agressivité"),
            ("cris", "Cris"),
            ("apathie", "Apathie, repli"),
            ("opposition", "Opposition aux soins"),
        ],
    )
    comportement_precisions = text("Précisions sur le comportement", optional=True, rows=2)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("comportement") and not cleaned.get("comportement_precisions"):
            self.add_error("comportement_precisions", "Précisez les troubles du comportement cochés.")
        if cleaned.get("reeducation_en_cours") == "oui" and not cleaned.get("reeducation_precisions"):
            self.add_error("reeducation_precisions", "Précisez la rééducation en cours.")
        return cleaned


ABC = [("A", "A — fait seul"), ("B", "B — fait partiellement"), ("C", "C — ne fait pas")]


def _aggir_fields():
    fields = {}
    for name in aggir.VARIABLES:
        label = aggir.VARIABLE_LABELS[name]
        subs = aggir.SUB_VARIABLES.get(name)
        if subs:
            for sub in subs:
                sub_label = f"{label} — {aggir.SUB_VARIABLE_LABELS[sub].lower()}"
                fields[f"{name}_{sub}"] = choice(sub_label, ABC, f"Cotez « {sub_label} » (A, B ou C).")
        else:
            fields[name] = choice(label, ABC, f"Cotez « {label} » (A, B ou C).")
    for name, label in aggir.ILLUSTRATIVES.items():
        fields[f"illustrative_{name}"] = choice(label, ABC, optional=True)
    return fields


class AggirForm(SectionForm):
    """Grille AGGIR: 10 discriminant variables (sub-variables where the guide has them), 7 illustrative."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_aggir_fields())

    def extra_context(self) -> dict:
        result = aggir.evaluate_grid(self.data)
        return {"aggir": result, "aggir_pending": result is None}
