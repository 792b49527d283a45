from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from trajectoire.directory.enums import Domain

from .enums import MotifAnnulation, MotifRefus, Statut, motifs_refus_for


class MessageForm(DsfrBaseForm):
    message = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class ComplementRequestForm(DsfrBaseForm):
    message = forms.CharField(
        label="Informations demandées",
        help_text="Le demandeur reçoit ce message et vous répond depuis la demande.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class AcceptForm(DsfrBaseForm):
    date_admission = forms.DateField(label="Date d’admission proposée", widget=forms.DateInput(attrs={"type": "date"}))
    message = forms.CharField(label="Message au demandeur", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_date_admission(self):
        value = self.cleaned_data["date_admission"]
        if value < timezone.localdate():
            raise forms.ValidationError("La date d’admission proposée ne peut pas être dans le passé.")
        return value


class WaitingListForm(DsfrBaseForm):
    message = forms.CharField(label="Message au demandeur", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class _MotifForm(DsfrBaseForm):
    """A motif from a fixed list and details, required for « Autre »."""

    what = ""

    comment = forms.CharField(
        label="Précisions",
        help_text="Obligatoire pour le motif « Autre ».",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("motif") == "autre" and not cleaned.get("comment", "").strip():
            self.add_error("comment", f"Précisez le motif {self.what}.")
        return cleaned


class RefuseForm(_MotifForm):
    """The motifs of the demande's domain (demandes.enums.MOTIFS_REFUS)."""

    what = "de refus"
    motif = forms.ChoiceField(
        label="Motif de refus",
        choices=[("", "Choisir un motif"), *MotifRefus.choices],
        help_text="Liste fixe de cette plateforme pour ce type de demande (aucune liste nationale publiée).",
    )
    field_order = ["motif", "comment"]

    def __init__(self, *args, domain=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif"].choices = [("", "Choisir un motif")] + [
            (m.value, m.label) for m in motifs_refus_for(domain)
        ]


class AdmissionForm(DsfrBaseForm):
    date_entree = forms.DateField(label="Date d’entrée du patient", widget=forms.DateInput(attrs={"type": "date"}))


class CancelForm(_MotifForm):
    what = "d’annulation"
    motif = forms.ChoiceField(label="Motif d’annulation", choices=[("", "Choisir un motif"), *MotifAnnulation.choices])
    field_order = ["motif", "comment"]


class InboxFilterForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous"), *Statut.choices])
    unite = forms.ChoiceField(label="Unité", required=False)
    domain = forms.ChoiceField(label="Domaine", required=False, choices=[("", "Tous"), *Domain.choices])
    urgente = forms.BooleanField(label="Urgentes seulement", required=False)
    depuis = forms.DateField(label="Reçues depuis le", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, unites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unite"].choices = [("", "Toutes"), *[(str(u.pk), str(u)) for u in unites]]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("statut"):
            queryset = queryset.filter(statut=data["statut"])
        if data.get("unite"):
            queryset = queryset.filter(unite_id=data["unite"])
        if data.get("domain"):
            queryset = queryset.filter(domain=data["domain"])
        if data.get("urgente"):
            queryset = queryset.filter(urgente=True)
        if data.get("depuis"):
            queryset = queryset.filter(sent_at__date__gte=data["depuis"])
        return queryset
