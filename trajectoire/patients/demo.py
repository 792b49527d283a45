"""Demo patients of the demo doctor (Dr Marie Martin). Idempotent; communes come from the directory loader."""

import datetime

from django.db import transaction

from trajectoire.directory.models import Commune

from .enums import LienContact, Sexe
from .models import Contact, Patient

# key, birth name, first names, birth date, sex, birth place, used name, address, commune INSEE, contact
PATIENTS = [
    (
        "grand_age",
        "BERNARD",
        "Simone Louise",
        datetime.date(1936, 4, 2),
        Sexe.FEMININ,
        "01053",
        "",
        "12 rue Bourgmayer",
        "01053",
        ("Bernard", "Michel", LienContact.ENFANT),
    ),
    (
        "sanitaire",
        "GIRAUD",
        "Henri Paul",
        datetime.date(1951, 9, 17),
        Sexe.MASCULIN,
        "69266",
        "",
        "4 avenue Roger Salengro",
        "69266",
        ("Giraud", "Anne", LienContact.CONJOINT),
    ),
    (
        "tnd",
        "NGUYEN",
        "Lina",
        None,
        Sexe.FEMININ,
        "69123",
        "",
        "8 rue de la République",
        "69382",  # Lyon 2e: communes are imported per arrondissement
        ("Nguyen", "Thi", LienContact.PARENT),
    ),
    (
        "brouillon",
        "PERRIN",
        "Jacqueline",
        datetime.date(1941, 12, 24),
        Sexe.FEMININ,
        "69123",
        "ROUX",
        "3 place Bellecour",
        "69382",
        ("Roux", "Claire", LienContact.ENFANT),
    ),
]


def _four_years_ago() -> datetime.date:
    today = datetime.date.today()
    return today.replace(year=today.year - 4, day=min(today.day, 28)) - datetime.timedelta(days=40)


@transaction.atomic
def load(ctx) -> None:
    medecin = ctx.data.get("users", {}).get("medecin")
    if medecin is None:
        ctx.say("Patients : pas de médecin de démonstration, rien à créer.")
        return
    patients = {}
    for key, nom, prenoms, born, sexe, lieu, usage, adresse, insee, contact in PATIENTS:
        patient, created = Patient.objects.get_or_create(
            created_by=medecin,
            nom_naissance=nom,
            prenoms=prenoms,
            defaults={
                "date_naissance": born or _four_years_ago(),
                "sexe": sexe,
                "lieu_naissance_insee": lieu,
                "nom_usage": usage,
                "adresse": adresse,
                "commune": Commune.objects.filter(insee=insee).first(),
                "medecin_traitant": medecin,
                "telephone": "04 72 00 00 00",
            },
        )
        if created:
            Contact.objects.create(
                patient=patient,
                nom=contact[0],
                prenom=contact[1],
                lien=contact[2],
                est_referent=True,
                telephone="06 00 00 00 00",
            )
        patients[key] = patient
    ctx.data["patients"] = patients
    ctx.say(f"Patients de démonstration prêts ({len(patients)}).")
