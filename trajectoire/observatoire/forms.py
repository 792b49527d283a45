import datetime as dt

from django import forms
from dsfr.forms import DsfrBaseForm

from trajectoire.directory.enums import Domain


class FiltreForm(DsfrBaseForm):
    departement = forms.ChoiceField(label="Territoire", required=False)
    domain = forms.ChoiceField(label="Domaine", required=False, choices=[("", "Tous les domaines"), *Domain.choices])
    depuis = forms.DateField(
        label="Demandes envoyées du", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Date invalide (jj/mm/aaaa)."},
    )  # fmt: skip
    jusqua = forms.DateField(
        label="au", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Date invalide (jj/mm/aaaa)."},
    )  # fmt: skip

    def __init__(self, *args, departements: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.departements = departements
        self.fields["departement"].choices = [("", "Tous mes départements")] + [
            (code, f"Département {code}") for code in departements
        ]

    def _within_bounds(self, name):
        """Dates the period arithmetic can hold (« 0001-01-01 » minus a year is an overflow, not a period)."""
        value = self.cleaned_data.get(name)
        if value is not None and not (dt.date(1900, 1, 1) <= value <= dt.date(2100, 12, 31)):
            raise forms.ValidationError("Choisissez une date entre 1900 et 2100.")
        return value

    def clean_depuis(self):
        return self._within_bounds("depuis")

    def clean_jusqua(self):
        return self._within_bounds("jusqua")

    def clean(self):
        data = super().clean()
        if data.get("depuis") and data.get("jusqua") and data["depuis"] > data["jusqua"]:
            self.add_error("jusqua", "La fin de la période doit suivre son début.")
        return data

    def departements_choisis(self) -> list[str]:
        chosen = self.cleaned_data.get("departement") if self.is_bound and self.is_valid() else ""
        return [chosen] if chosen else self.departements
