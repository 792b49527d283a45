from django.apps import AppConfig


class ProauthConfig(AppConfig):
    name = "trajectoire.proauth"
    verbose_name = "Authentification des professionnels"
