from django import forms
from django.urls import reverse_lazy
from dsfr.forms import DsfrBaseForm

from . import thesaurus
from .enums import MentionSMR, StructureType
from .search import MAX_RADIUS_KM, Criteres

GIR_CHOICES = [("", "Non précisé")] + [(str(g), f"GIR {g}") for g in range(1, 7)]


class RechercheForm(DsfrBaseForm):
    """Criteria of the public annuaire and of the JSON endpoint (same names as `search.Criteres`)."""

    commune = forms.CharField(
        label="Commune",
        help_text="Nom ou code postal, par exemple « st etienne » ou « 01000 »",
        max_length=120,
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
    insee = forms.CharField(required=False, widget=forms.HiddenInput, max_length=5)
    radius_km = forms.IntegerField(
        label="Rayon (km)",
        initial=30,
        required=False,
        error_messages={"invalid": "Le rayon doit être un nombre entier de kilomètres."},
        help_text=f"De 1 à {MAX_RADIUS_KM} km, à vol d’oiseau",
    )
    structure_type = forms.ChoiceField(
        label="Type de structure", required=False, choices=[("", "Tous les types"), *StructureType.choices]
    )
    mention_smr = forms.ChoiceField(
        label="Mention SMR", required=False, choices=[("", "Indifférent"), *MentionSMR.choices]
    )
    capabilities = forms.MultipleChoiceField(
        label="Prises en charge nécessaires",
        required=False,
        choices=thesaurus.grouped_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Prise en charge inconnue du thésaurus : %(value)s."},
    )
    age = forms.IntegerField(label="Âge du patient", required=False, min_value=0, max_value=130)
    gir = forms.TypedChoiceField(
        label="GIR (pour estimer le coût)", required=False, choices=GIR_CHOICES, coerce=int, empty_value=None
    )
    max_budget = forms.IntegerField(
        label="Budget mensuel maximal (€)",
        required=False,
        min_value=1,
        help_text="Comparé au prix mensuel EHPAD (hébergement + tarif dépendance GIR 5-6), avant aides",
    )
    aide_sociale = forms.BooleanField(label="Habilitée à l’aide sociale", required=False)
    free_places_only = forms.BooleanField(label="Uniquement avec des places disponibles", required=False)
    show_excluded = forms.BooleanField(label="Afficher les structures écartées et pourquoi", required=False)

    def criteres(self) -> Criteres:
        data = self.cleaned_data
        radius = data.get("radius_km")
        return Criteres(
            structure_type=data.get("structure_type", ""),
            commune=data.get("commune", ""),
            insee=data.get("insee", ""),
            radius_km=30 if radius is None else radius,
            capabilities=data.get("capabilities", []),
            mention_smr=data.get("mention_smr", ""),
            age=data.get("age"),
            aide_sociale=data.get("aide_sociale", False),
            max_budget=data.get("max_budget"),
            free_places_only=data.get("free_places_only", False),
            gir=data.get("gir"),
        )
