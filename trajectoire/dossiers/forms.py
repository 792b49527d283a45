from django import forms
from dsfr.forms import DsfrBaseForm

from trajectoire.directory.enums import Domain, MentionSMR
from trajectoire.patients.models import Patient

from .enums import PRISES_EN_CHARGE, TypeSejour


class NouveauDossierForm(DsfrBaseForm):
    """The three sub-type fields are required for the domains that have them (never « optionnel »)."""

    patient = forms.ModelChoiceField(
        label="Patient", queryset=Patient.objects.none(), error_messages={"required": "Choisissez le patient."}
    )
    domain = forms.ChoiceField(
        label="Type de dossier",
        choices=Domain.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le type de dossier."},
    )
    prise_en_charge = forms.ChoiceField(
        label="Prise en charge demandée",
        choices=[("", "—")]
        + [(str(t), t.label) for domain in (Domain.GRAND_AGE, Domain.SANITAIRE) for t in PRISES_EN_CHARGE[domain]],
        help_text="Grand Âge et Sanitaire. Pour un dossier TND, la plateforme (PCO) dépend de l’âge de l’enfant.",
        error_messages={"required": "Choisissez la prise en charge demandée."},
    )
    type_sejour = forms.ChoiceField(
        label="Type de séjour",
        choices=[("", "—"), *TypeSejour.choices],
        help_text="Grand Âge uniquement ; il n’est plus demandé dans la partie administrative.",
        error_messages={"required": "Choisissez le type de séjour."},
    )
    mention_smr = forms.ChoiceField(
        label="Mention SMR demandée",
        choices=[("", "—"), *MentionSMR.choices],
        help_text="Pour un SMR uniquement (mentions des décrets n° 2022-24 et 2022-25).",
        error_messages={"required": "Choisissez la mention SMR demandée."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = Patient.objects.visible_to(user).order_by("nom_naissance")
        if self.is_bound:  # each sub-type is required only for the domain that has it
            domain = self.data.get("domain")
            self.fields["prise_en_charge"].required = domain in (Domain.GRAND_AGE, Domain.SANITAIRE)
            self.fields["type_sejour"].required = domain == Domain.GRAND_AGE
            self.fields["mention_smr"].required = (
                domain == Domain.SANITAIRE and self.data.get("prise_en_charge") == "smr"
            )
