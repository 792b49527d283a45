from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trajectoire.accounts"
    verbose_name = "Comptes"
