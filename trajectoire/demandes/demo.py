"""Demo demandes: Grand Âge dossiers of the demo doctor at each status, answered by the demo EHPAD staff.

The demo Sanitaire dossier is left ready but unsent: the newcomer plays journey 1 with it (send to three SMR
units, answer from the SMR account, confirm). Idempotent: a patient that already has demandes is skipped.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from trajectoire.directory.enums import Domain, StructureType
from trajectoire.directory.models import Commune, Unite
from trajectoire.dossiers.demo import GRAND_AGE, _dossier
from trajectoire.patients.enums import Sexe
from trajectoire.patients.models import Patient

from . import services
from .enums import MotifRefus

# key, birth name, first names, birth year, the story to play on its demandes
STORIES = [
    ("envoyee", "FAURE", "Marcel", 1934, []),
    ("complement", "BLANC", "Odette", 1939, ["lire", "complement"]),
    ("acceptee", "GAUTHIER", "Lucien", 1937, ["lire", "accepter"]),
    ("attente", "ROUSSEAU", "Germaine", 1940, ["attente"]),
    ("refusee", "MULLER", "Yvonne", 1933, ["refuser"]),
    ("admis", "LEROY", "André", 1935, ["accepter", "confirmer", "entree"]),
]


def _patient(medecin, nom, prenoms, year):
    patient, _ = Patient.objects.get_or_create(
        created_by=medecin,
        nom_naissance=nom,
        prenoms=prenoms,
        defaults={
            "date_naissance": dt.date(year, 6, 15),
            "sexe": Sexe.FEMININ if prenoms[-1] == "e" else Sexe.MASCULIN,
            "lieu_naissance_insee": "69123",
            "adresse": "1 rue de la Demo",
            "commune": Commune.objects.filter(insee="69381").first(),  # Lyon 1er (arrondissements)
            "medecin_traitant": medecin,
        },
    )
    return patient


def _play(demande, steps, medecin, staff):
    soon = timezone.localdate() + dt.timedelta(days=10)
    for step in steps:
        match step:
            case "lire":
                services.mark_read(demande, staff)
            case "complement":
                services.ask_complement(demande, staff, "Merci de joindre le dernier compte rendu d’hospitalisation.")
            case "accepter":
                services.accept(demande, staff, soon, "Une chambre seule se libère.")
            case "attente":
                services.put_on_waiting_list(demande, staff)
            case "refuser":
                services.refuse(demande, staff, MotifRefus.PAS_DE_PLACE, "Aucune place avant six mois.")
            case "confirmer":
                services.confirm_admission(demande, medecin)
            case "entree":
                services.record_admission(demande, staff, soon)


@transaction.atomic
def load(ctx) -> None:
    users = ctx.data.get("users", {})
    medecin, staff = users.get("medecin"), users.get("ehpad_admissions")
    ehpad = ctx.data.get("structures", {}).get("ehpad")
    if not (medecin and staff and ehpad):
        return
    unite = Unite.objects.filter(structure=ehpad, domain=Domain.GRAND_AGE, is_active=True).order_by("pk").first()
    others = list(
        Unite.objects.filter(structure_type=StructureType.EHPAD, is_active=True, structure__departement="69")
        .exclude(structure=ehpad)
        .order_by("pk")[:1]
    )
    played = 0
    for _key, nom, prenoms, year, steps in STORIES:
        patient = _patient(medecin, nom, prenoms, year)
        dossier = _dossier(
            patient, medecin, Domain.GRAND_AGE, GRAND_AGE, prise_en_charge="ehpad", type_sejour="permanent"
        )
        if dossier.demandes.exists() or not dossier.is_ready_to_send():
            continue
        demande, *_ = services.send(dossier, [unite, *others], by=medecin)
        _play(demande, steps, medecin, staff)
        played += 1
    ctx.say(f"Demandes de démonstration : {played} dossier(s) envoyé(s) à {ehpad.name}, à chaque étape.")
