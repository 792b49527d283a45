from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "trajectoire.api"
    verbose_name = "API FHIR"

    def ready(self):
        from trajectoire.demandes.signals import demande_changed

        from .subscriptions import on_demande_changed

        demande_changed.connect(on_demande_changed, dispatch_uid="api-subscriptions")
