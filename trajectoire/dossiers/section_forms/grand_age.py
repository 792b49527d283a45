"""Grand Âge sections, following the Cerfa n° 14732*03 (administrative and medical parts)."""

from django import forms

from trajectoire.dossiers import aggir
from trajectoire.dossiers.enums import TypeSejour

from .base import OUI_NON, SectionForm, besoins_field, choice, required, text

PROTECTION = [
    ("aucune", "Aucune"),
    ("sauvegarde", "Sauvegarde de justice"),
    ("curatelle", "Curatelle"),
    ("tutelle", "Tutelle"),
    ("habilitation_familiale", "Habilitation familiale"),
]
DEMANDE_EN_COURS = [("oui", "Oui"), ("non", "Non"), ("en_cours", "Demande en cours")]


class AdministratifGrandAgeForm(SectionForm):
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
    protection_juridique = choice("Mesure de protection juridique", PROTECTION)
    referent_nom = forms.CharField(max_length=150, **required("Personne référente : nom et prénom"))
    referent_telephone = forms.CharField(max_length=20, **required("Personne référente : téléphone"))
    referent_lien = forms.CharField(max_length=60, **required("Personne référente : lien avec la personne"))
    apa = choice("Allocation personnalisée d’autonomie (APA)", DEMANDE_EN_COURS)
    aide_sociale = choice("Aide sociale à l’hébergement", DEMANDE_EN_COURS)
    caisse_retraite = forms.CharField(label="Caisse de retraite principale", max_length=100, required=False)
    ressources_mensuelles = forms.DecimalField(
        label="Ressources mensuelles (en euros)",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={"min_value": "Les ressources ne peuvent pas être négatives."},
    )
    type_sejour = choice("Type de séjour", TypeSejour.choices)
    date_entree_souhaitee = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        **required("Date d’entrée souhaitée", "Indiquez la date d’entrée souhaitée (jj/mm/aaaa)."),
    )


class MedicalGrandAgeForm(SectionForm):
    antecedents = text("Antécédents médicaux et chirurgicaux", "Décrivez les antécédents (ou « aucun »).")
    pathologies = text("Pathologies actuelles", "Décrivez les pathologies actuelles.")
    traitements = text("Traitements en cours", "Listez les traitements en cours (ou « aucun »).")
    besoins = besoins_field()
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
