from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "trajectoire.directory"
    verbose_name = "Annuaire"
