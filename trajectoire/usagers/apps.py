from django.apps import AppConfig


class UsagersConfig(AppConfig):
    name = "trajectoire.usagers"
    verbose_name = "Espace usager"

    def ready(self):
        from trajectoire.demandes.permissions import register_sender
        from trajectoire.dossiers.access import register_visibility

        from .services.dossiers import family_dossier_url, family_members, family_q

        # The family (every aidant of a dossier) sees its dossier and sends it; never its medical part
        # (dossiers.access.can_view_medical refuses usagers whatever the hooks say).
        register_visibility(family_q)
        register_sender(family_q, recipients=family_members, dossier_url=family_dossier_url)
