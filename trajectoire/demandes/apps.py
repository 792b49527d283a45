from django.apps import AppConfig


class DemandesConfig(AppConfig):
    name = "trajectoire.demandes"
    verbose_name = "Demandes"
