"""TND sections: child and parents, the booklet of the child's age band, risk factors, MDPH."""

from django import forms
from django.utils import timezone

from trajectoire.dossiers import tnd

from .base import SectionForm, choice, required, text


class AdministratifTndForm(SectionForm):
    parent1_nom = forms.CharField(max_length=150, **required("Parent 1 : nom et prénom"))
    parent1_telephone = forms.CharField(max_length=20, **required("Parent 1 : téléphone"))
    parent2_nom = forms.CharField(label="Parent 2 : nom et prénom", max_length=150, required=False)
    parent2_telephone = forms.CharField(label="Parent 2 : téléphone", max_length=20, required=False)
    autorite_parentale = choice(
        "Autorité parentale",
        [
            ("conjointe", "Conjointe"),
            ("parent1", "Parent 1 seul"),
            ("parent2", "Parent 2 seul"),
            ("autre", "Autre (tutelle, ASE)"),
        ],
    )
    accueil = choice(
        "Mode d’accueil ou scolarisation",
        [
            ("famille", "En famille"),
            ("creche", "Crèche ou assistante maternelle"),
            ("maternelle", "École maternelle"),
            ("elementaire", "École élémentaire"),
            ("college", "Collège"),
        ],
    )
    consentement = forms.BooleanField(
        **required(
            "Les parents ont été informés et consentent à l’orientation", "Le consentement des parents est nécessaire."
        )
    )


def _today():
    return timezone.localdate()


class LivretForm(SectionForm):
    """The booklet of the child's age band on the day it is filled; the rule's result is shown live."""

    regression = forms.BooleanField(
        label="Régression des acquisitions (perte d’une compétence acquise)", required=False
    )
    retentissement = text("Observations du médecin", optional=True, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grille = self._grille()
        choices = (
            [(s.code, f"{tnd.DOMAINES[s.domaine]} — {s.label}") for s in self.grille.signes] if self.grille else []
        )
        self.fields["signes"] = forms.MultipleChoiceField(
            label=f"Signes d’alerte ({self.grille.label if self.grille else 'hors tranche'})",
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.order_fields(["signes", "regression", "retentissement"])

    def _grille(self):
        if self.dossier is None:
            return None
        return tnd.grille_for(self.dossier.patient.date_naissance, _today())

    def clean(self):
        cleaned = super().clean()
        if self.grille is None:
            raise forms.ValidationError("L’âge de l’enfant est hors des tranches du livret de repérage (0 à 12 ans).")
        return cleaned

    def extra_context(self) -> dict:
        # The input being typed wins over the saved sections (which the caller may hold prefetched).
        orientation = orientation_for(self.dossier, current={"livret": self.data})
        return {
            "orientation": orientation,
            "grille": self.grille,
            "livret": tnd.livret_for(orientation.tranche if orientation else None),
            "rule_verified": tnd.RULE_VERIFIED,
        }


def _facteur_choices():
    return [(code, f"{label} — {tnd.NIVEAUX[level]}") for code, (label, level) in tnd.FACTEURS.items()]


class FacteursRisqueForm(SectionForm):
    """Risk factors with their HAS level (haut risque / risque modéré), checked against the term of birth."""

    facteurs = forms.MultipleChoiceField(
        label="Facteurs de risque (HAS, février 2020)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=_facteur_choices(),
    )
    aucun_facteur = forms.BooleanField(label="Aucun facteur de risque connu", required=False)
    terme_sa = forms.IntegerField(
        label="Terme de naissance (semaines d’aménorrhée révolues)",
        required=False,
        min_value=22,
        max_value=44,
        error_messages={
            "min_value": "Le terme doit être compris entre 22 et 44 SA.",
            "max_value": "Le terme doit être compris entre 22 et 44 SA.",
        },
    )

    def clean(self):
        cleaned = super().clean()
        facteurs = cleaned.get("facteurs") or []
        if not facteurs and not cleaned.get("aucun_facteur"):
            self.add_error("facteurs", "Cochez les facteurs de risque, ou « Aucun facteur de risque connu ».")
        terme = cleaned.get("terme_sa")
        if terme is not None:
            self._check_term(terme, facteurs)
        return cleaned

    def _check_term(self, terme: int, facteurs: list[str]) -> None:
        if terme < 32 and "grande_prematurite" not in facteurs:
            self.add_error(
                "facteurs", "Un terme inférieur à 32 SA est une grande prématurité (haut risque) : cochez-la."
            )
        elif 32 <= terme < 37 and not {"prematurite", "rciu_pag"} & set(facteurs):
            self.add_error("facteurs", "Un terme de 32 à 36 SA est une prématurité modérée ou tardive : cochez-la.")
        if terme >= 32 and "grande_prematurite" in facteurs:
            self.add_error("terme_sa", "La grande prématurité concerne un terme inférieur à 32 SA.")
        if (terme < 32 or terme >= 37) and "prematurite" in facteurs:
            self.add_error("terme_sa", "La prématurité modérée ou tardive concerne un terme de 32 à 36 SA.")


MDPH_CHOICES = [
    ("oui", "Oui, l’enfant a une orientation MDPH"),
    ("non", "Non"),
    ("en_cours", "Demande MDPH en cours (sans décision)"),
]


class MdphForm(SectionForm):
    orientation_mdph = choice("L’enfant a-t-il déjà une orientation MDPH ?", MDPH_CHOICES)
    precisions = text("Précisions (notification, date)", optional=True, rows=2)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("orientation_mdph") == "oui"
            and self.dossier is not None
            and tnd.tranche(self.dossier.patient.date_naissance, _today()) == tnd.PCO_7_12
        ):
            self.add_error(
                "orientation_mdph",
                "L’enfant a déjà une orientation MDPH : il n’est pas éligible à la PCO 7-12 ans.",
            )
        return cleaned


def orientation_for(dossier, current: dict | None = None) -> tnd.Orientation | None:
    """The booklet rule applied to the dossier's current sections (drafts included), with its reasons.

    `current` maps a section key to the input being typed, which replaces that section's saved data.
    """
    if dossier is None:
        return None
    data = {s.key: s.data for s in dossier.sections.all()}
    data.update(current or {})
    livret = data.get("livret", {})
    facteurs = data.get("facteurs_risque", {})
    mdph = data.get("mdph", {})
    return tnd.evaluate(
        born=dossier.patient.date_naissance,
        on=_today(),
        signes=_as_list(livret.get("signes")),
        regression=livret.get("regression") in (True, "on", "true"),
        facteurs=_as_list(facteurs.get("facteurs")),
        orientation_mdph=mdph.get("orientation_mdph") == "oui",
    )


def _as_list(value):
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]
