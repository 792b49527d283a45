"""Demo family: Claire Bernard, whose mother's Grand Âge dossier is complete (médecin traitant: Dr Martin).

The family can log in at /usager/connexion/, search EHPAD around Lyon and send the dossier. Idempotent.
"""

from django.db import transaction
from django.utils import timezone

from trajectoire.accounts.demo import DEMO_PASSWORD
from trajectoire.accounts.enums import Kind
from trajectoire.accounts.models import User
from trajectoire.core.demo_registry import DemoAccount
from trajectoire.directory.enums import Domain
from trajectoire.directory.models import Commune
from trajectoire.dossiers import services as dossier_services
from trajectoire.dossiers.demo import GRAND_AGE, _post
from trajectoire.dossiers.models import Dossier

from .services.dossiers import open_dossier

EMAIL = "famille.bernard@demo.trajectoire.localhost"
PERSONNE = {
    "nom_naissance": "BERNARD",
    "prenoms": "Yvonne Marie",
    "date_naissance": timezone.datetime(1937, 9, 14).date(),
    "sexe": "F",
    "lieu_naissance_insee": "69123",
    "nom_usage": "",
    "prenom_usage": "",
    "adresse": "12 rue de la République",
    "telephone": "",
    "email": "",
}


def _famille() -> User:
    user, _ = User.objects.update_or_create(
        username=EMAIL,
        defaults={
            "kind": Kind.USAGER,
            "email": EMAIL,
            "first_name": "Claire",
            "last_name": "Bernard",
            "profession": "",
            "email_confirmed_at": timezone.now(),
            "is_active": True,
            "notify_by_email": False,  # the demo's stories are past events: notifications.demo turns it on after
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def load(ctx) -> None:
    famille = _famille()
    medecin = ctx.data.get("users", {}).get("medecin")
    dossier = Dossier.objects.filter(created_by=famille, domain=Domain.GRAND_AGE).first()
    if dossier is None:
        fields = {**PERSONNE, "commune": Commune.objects.filter(insee="69383").first()}  # Lyon 3e
        dossier = open_dossier(
            by=famille, patient_fields=fields, prise_en_charge="ehpad", type_sejour="permanent", lien="fille"
        )
        admin = {
            **GRAND_AGE["administratif"],
            "referent_nom": "Bernard",
            "referent_prenom": "Claire",
            "referent_lien": "enfant",
        }
        dossier_services.validate_section(dossier, "administratif", _post(admin), by=famille)
        if medecin is not None:
            Dossier.objects.filter(pk=dossier.pk).update(medecin=medecin)
            dossier.medecin = medecin
            for key in ("medical", "aggir"):
                dossier_services.validate_section(dossier, key, _post(GRAND_AGE[key]), by=medecin)
    ctx.accounts.append(
        DemoAccount(
            "Famille (aidante, espace particuliers)",
            "Claire Bernard",
            EMAIL,
            DEMO_PASSWORD,
            "/usager/connexion/ : e-mail + mot de passe",
        )
    )
    ctx.data.setdefault("usagers", {})["famille"] = famille
    ctx.say(f"Espace famille de démonstration prêt (dossier {dossier.numero}).")
