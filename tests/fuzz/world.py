"""A small world with one account per role and the objects each of them reaches (the fuzz suite's data)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import DemandeFactory, ReadyDossierFactory
from tests.factories.directory import CommuneFactory, PrixEhpadFactory, StructureFactory, UniteFactory
from tests.factories.usagers import FamilleFactory, FamilyDossierFactory
from trajectoire.accounts.enums import Profession
from trajectoire.demandes.enums import Statut
from trajectoire.directory.enums import Domain, StructureType
from trajectoire.notifications.services import notify
from trajectoire.usagers.models import InvitationAidant


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (None for anonymous)
    ids: dict = field(default_factory=dict)  # URL argument kind -> plausible values


def build_world() -> World:
    world = World()
    CommuneFactory(insee="01053", name="Bourg-en-Bresse", postal_codes="01000")
    ehpad = StructureFactory(name="EHPAD Les Tilleuls")
    PrixEhpadFactory(finess=ehpad.finess)
    ehpad_unit = UniteFactory(structure=ehpad)
    smr = StructureFactory(
        name="SMR Les Cèdres", structure_type=StructureType.SMR, domain=Domain.SANITAIRE, category_code="109"
    )
    smr_unit = UniteFactory(structure=smr, name="Locomoteur", mentions_smr=["locomoteur"])

    medecin = UserFactory(medecin=True, strong_auth=True, first_name="Marie", last_name="Martin")
    prescripteur = UserFactory(profession=Profession.ASSISTANT_SOCIAL, strong_auth=True)
    admissions = MembershipFactory(structure=ehpad, admissions=True, user__profession=Profession.SECRETAIRE)
    medical = MembershipFactory(structure=smr, medical=True, admissions=True, user__profession=Profession.INFIRMIER)
    referent = MembershipFactory(structure=ehpad, referent=True, user__profession=Profession.CADRE_SANTE)
    observatoire = UserFactory(profession=Profession.AUTRE, is_observatoire=True, observatoire_departements="01")
    admin = UserFactory(profession=Profession.AUTRE, is_staff=True, is_superuser=True, strong_auth=True)
    famille = FamilleFactory()
    non_confirme = FamilleFactory(unconfirmed=True)

    sanitaire = ReadyDossierFactory(sanitaire=True, created_by=medecin, medecin=medecin, patient__created_by=medecin)
    grand_age = ReadyDossierFactory(created_by=prescripteur, medecin=medecin, patient__created_by=prescripteur)
    family_dossier = FamilyDossierFactory(created_by=famille, patient__created_by=famille)
    unconfirmed_dossier = FamilyDossierFactory(created_by=non_confirme, patient__created_by=non_confirme)
    demandes = [
        DemandeFactory(dossier=sanitaire, unite=smr_unit),
        DemandeFactory(
            dossier=grand_age, unite=ehpad_unit, statut=Statut.ACCEPTEE, date_admission_proposee=timezone.localdate()
        ),
        DemandeFactory(dossier=family_dossier, unite=ehpad_unit, statut=Statut.COMPLEMENT_DEMANDE),
    ]
    InvitationAidant.objects.create(
        dossier=family_dossier,
        email="cousin@exemple.test",
        lien="cousin",
        invited_by=famille,
        consentement_at=timezone.now(),
    )
    notes = notify([medecin, famille, admissions.user], title="Nouvelle demande", url="/demandes/")

    world.users = {
        "anonyme": None,
        "medecin": medecin,
        "prescripteur": prescripteur,
        "admissions": admissions.user,
        "medical_structure": medical.user,
        "referent": referent.user,
        "observatoire": observatoire,
        "admin": admin,
        "usager": famille,
        "usager_non_confirme": non_confirme,
    }
    dossiers = [sanitaire.pk, grand_age.pk, family_dossier.pk, unconfirmed_dossier.pk]
    world.ids = {
        "dossier": dossiers,
        "patient": [d.patient_id for d in (sanitaire, grand_age, family_dossier)],
        "demande": [d.pk for d in demandes],
        "structure": [ehpad.pk, smr.pk],
        "unite": [ehpad_unit.pk, smr_unit.pk],
        "membership": [admissions.pk, referent.pk, medical.pk],
        "notification": [n.pk for n in notes],
        "finess": [ehpad.finess, smr.finess],
    }
    return world
