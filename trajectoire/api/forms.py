import json

from django import forms
from dsfr.forms import DsfrBaseForm

from .clients import ClientError, check_jwks


class ApiClientForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du logiciel",
        max_length=150,
        error_messages={"required": "Donnez un nom au logiciel."},
        help_text="Par exemple : « Logiciel de soins de l’EHPAD ».",
    )
    jwks = forms.CharField(
        label="Clés publiques (JWKS) pour l’authentification par assertion signée",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Facultatif : sans clé, le logiciel s’authentifie avec son secret (client_secret_basic).",
    )

    def clean_jwks(self):
        raw = self.cleaned_data["jwks"].strip()
        if not raw:
            return None
        try:
            keys = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: « [[[[… » deeper than the parser goes
            raise forms.ValidationError("Le JWKS n’est pas un JSON valide.") from None
        try:
            check_jwks(keys)
        except ClientError as exc:
            raise forms.ValidationError(str(exc)) from None
        return keys
