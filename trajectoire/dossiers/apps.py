from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "trajectoire.dossiers"
    verbose_name = "Dossiers"
