from django.apps import AppConfig


class UsagersConfig(AppConfig):
    name = "trajectoire.usagers"
    verbose_name = "Espace usager"
