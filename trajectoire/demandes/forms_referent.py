from django import forms
from dsfr.forms import DsfrBaseForm

from trajectoire.accounts.validators import validate_rpps
from trajectoire.directory import thesaurus
from trajectoire.directory.enums import MentionSMR
from trajectoire.directory.models import Unite

ROLE_FIELDS = ("is_admissions", "is_medical", "is_referent")


class RolesMixin(forms.Form):
    is_admissions = forms.BooleanField(label="Admissions (recevoir et répondre aux demandes)", required=False)
    is_medical = forms.BooleanField(label="Médical (accès à la partie médicale des dossiers reçus)", required=False)
    is_referent = forms.BooleanField(label="Référent structure (gérer les comptes et les unités)", required=False)

    def roles(self) -> dict:
        return {field: self.cleaned_data[field] for field in ROLE_FIELDS}


class AddMemberForm(RolesMixin, DsfrBaseForm):
    rpps = forms.CharField(label="Numéro RPPS", max_length=11, validators=[validate_rpps])
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    email = forms.EmailField(label="Adresse électronique professionnelle")

    field_order = ["rpps", "last_name", "first_name", "email", *ROLE_FIELDS]


class MemberRolesForm(RolesMixin, DsfrBaseForm):
    is_active = forms.BooleanField(label="Rattachement actif", required=False)


class UniteForm(forms.ModelForm, DsfrBaseForm):
    capabilities = forms.MultipleChoiceField(
        label="Prises en charge possibles",
        choices=thesaurus.choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    mentions_smr = forms.MultipleChoiceField(
        label="Mentions SMR autorisées", choices=MentionSMR.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Unite
        fields = ["name", "capabilities", "mentions_smr", "age_min", "age_max", "capacity", "free_places", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.structure_type != "smr":
            del self.fields["mentions_smr"]

    def clean(self):
        cleaned = super().clean()
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min is not None and age_max is not None and age_min > age_max:
            self.add_error("age_max", "L’âge maximal doit être supérieur ou égal à l’âge minimal.")
        capacity, free = cleaned.get("capacity"), cleaned.get("free_places")
        if capacity is not None and free is not None and free > capacity:
            self.add_error("free_places", "Les places disponibles ne peuvent pas dépasser la capacité.")
        return cleaned
