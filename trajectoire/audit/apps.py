from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "trajectoire.audit"
    verbose_name = "Traçabilité"
