from django import forms
from dsfr.forms import DsfrBaseForm

from trajectoire.directory import thesaurus

OUI_NON = [("oui", "Oui"), ("non", "Non")]


def required(label: str, message: str | None = None, **kwargs):
    """Keyword arguments for a required field with its own French message."""
    kwargs.setdefault("error_messages", {})["required"] = message or f"Renseignez « {label} »."
    return {"label": label, "required": True, **kwargs}


def text(label, message=None, *, optional=False, max_length=4000, rows=3, **kwargs):
    widget = forms.Textarea(attrs={"rows": rows})
    if optional:
        return forms.CharField(label=label, required=False, max_length=max_length, widget=widget, **kwargs)
    return forms.CharField(max_length=max_length, widget=widget, **required(label, message), **kwargs)


def choice(label, choices, message=None, *, optional=False, radio=True, **kwargs):
    widget = forms.RadioSelect if radio else forms.Select
    if optional:
        return forms.ChoiceField(label=label, choices=[("", "—"), *choices], required=False, widget=widget, **kwargs)
    return forms.ChoiceField(choices=choices, widget=widget, **required(label, message), **kwargs)


def besoins_field(label="Besoins en soins", optional=True):
    return forms.MultipleChoiceField(
        label=label,
        choices=thesaurus.grouped_choices(),
        required=not optional,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un besoin, ou « Aucun besoin particulier »."},
    )


class SectionForm(DsfrBaseForm):
    """A section form; `dossier` gives context (age, sub-type) to the validation."""

    def __init__(self, *args, dossier=None, **kwargs):
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def summary(self) -> list[tuple[str, str]]:
        """(label, display value) pairs of the filled fields, for the dossier page and print."""
        rows = []
        data = self.data
        for name, field in self.fields.items():
            value = data.get(name)
            if value in (None, "", []):
                continue
            rows.append((str(field.label), display_value(field, value)))
        return rows

    def extra_context(self) -> dict:
        return {}

    def on_validated(self, *, by) -> None:
        """Called once the section is validated (e.g. write back to the patient record); nothing by default."""


def display_value(field, value) -> str:
    choices = dict(_flatten(getattr(field, "choices", []) or []))
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(field, forms.BooleanField):
        return "Oui" if value in (True, "on", "true", "True") else "Non"
    if isinstance(field, forms.DateField) and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    return str(choices.get(value, value))


def _flatten(choices):
    for key, value in choices:
        if isinstance(value, list | tuple):
            yield from value
        else:
            yield key, value
