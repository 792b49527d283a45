from django.apps import AppConfig


class DemandesConfig(AppConfig):
    name = "trajectoire.demandes"
    verbose_name = "Demandes"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from trajectoire.accounts.enums import Role
        from trajectoire.accounts.permissions import may_hold_medical_habilitation, structure_ids_for
        from trajectoire.dossiers.access import register_medical_access, register_visibility

        from .permissions import received_dossiers_q

        # A structure that received a demande sees the dossier; its medical staff see the medical part.
        register_visibility(received_dossiers_q)
        register_medical_access(
            lambda user, dossier: (
                may_hold_medical_habilitation(user)
                and dossier.demandes.filter(structure_id__in=structure_ids_for(user, Role.MEDICAL)).exists()
            )
        )

        from .delais import overrides_changed

        post_save.connect(overrides_changed, sender="demandes.DelaiCible", dispatch_uid="delais-cibles-saved")
        post_delete.connect(overrides_changed, sender="demandes.DelaiCible", dispatch_uid="delais-cibles-deleted")
