from django import forms
from dsfr.forms import DsfrBaseForm

from trajectoire.directory.enums import Domain, MentionSMR
from trajectoire.patients.models import Patient

from .enums import PRISES_EN_CHARGE, TypeSejour


class NouveauDossierForm(DsfrBaseForm):
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
        required=False,
        choices=[("", "—")]
        + [(str(t), t.label) for domain in (Domain.GRAND_AGE, Domain.SANITAIRE) for t in PRISES_EN_CHARGE[domain]],
        help_text="Pour un dossier TND, la plateforme (PCO) dépend de l’âge de l’enfant.",
    )
    type_sejour = forms.ChoiceField(
        label="Type de séjour (Grand Âge)", required=False, choices=[("", "—"), *TypeSejour.choices]
    )
    mention_smr = forms.ChoiceField(
        label="Mention SMR demandée", required=False, choices=[("", "—"), *MentionSMR.choices]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = Patient.objects.visible_to(user).order_by("nom_naissance")

    def clean(self):
        cleaned = super().clean()
        domain = cleaned.get("domain")
        if domain in (Domain.GRAND_AGE, Domain.SANITAIRE) and not cleaned.get("prise_en_charge"):
            self.add_error("prise_en_charge", "Choisissez la prise en charge demandée.")
        if domain == Domain.GRAND_AGE and not cleaned.get("type_sejour"):
            self.add_error("type_sejour", "Choisissez le type de séjour.")
        return cleaned
