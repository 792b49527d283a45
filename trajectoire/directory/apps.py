from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "trajectoire.directory"
    verbose_name = "Annuaire"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .annuaire_cache import bump
        from .models import Commune, PrixEhpad, Structure, Unite

        for model in (Commune, Structure, Unite, PrixEhpad):  # what the public annuaire's lists are made of
            post_save.connect(bump, sender=model, dispatch_uid=f"annuaire-{model.__name__}-save")
            post_delete.connect(bump, sender=model, dispatch_uid=f"annuaire-{model.__name__}-delete")
