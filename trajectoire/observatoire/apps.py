from django.apps import AppConfig


class ObservatoireConfig(AppConfig):
    name = "trajectoire.observatoire"
    verbose_name = "Observatoire"
