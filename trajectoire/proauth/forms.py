from django import forms
from django.contrib.auth import password_validation
from dsfr.forms import DsfrBaseForm

from trajectoire.accounts.validators import validate_rpps


class PasswordLoginForm(DsfrBaseForm):
    rpps = forms.CharField(
        label="Nom d’utilisateur (numéro RPPS)",
        help_text="11 chiffres",
        max_length=11,
        validators=[validate_rpps],
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(DsfrBaseForm):
    code = forms.RegexField(
        label="Code",
        help_text="Le code à 6 chiffres reçu par courriel",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Le code comporte exactement 6 chiffres."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AccountSetupForm(DsfrBaseForm):
    """First login (or reset after a card / e-CPS login): e-mail address and password."""

    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Les codes de connexion y seront envoyés. Un code de confirmation vous y est envoyé.",
    )
    password1 = forms.CharField(
        label="Nouveau mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères ; ni un mot de passe courant, ni votre numéro RPPS.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError("Les deux mots de passe ne sont pas identiques.")
        if password2:
            password_validation.validate_password(password2, self.user)
        return password2
