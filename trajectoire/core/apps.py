from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trajectoire.core"
    verbose_name = "Socle"
