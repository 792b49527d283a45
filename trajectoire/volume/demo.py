"""Demo history for the observatoire: two years of past dossiers and demandes in the Ain and the Rhône.

Without it the demo's ARS account would only see the dozen demandes of the demo stories, nearly every cell
hidden by statistical secrecy. Written by the national-volume generator (`DossierGenerator`: timelines that
replay the workflow, consistent statuses) for one inactive prescriber nobody can log in as, to structures
of the territory that have no demo account: the demo inboxes and dashboards keep their stories.
Idempotent: skipped once the prescriber exists.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from trajectoire.accounts.enums import Kind, Profession
from trajectoire.accounts.models import Membership, User
from trajectoire.demandes.models import Demande, DemandeEvent
from trajectoire.directory.models import Commune, Unite
from trajectoire.dossiers.models import Dossier, Section
from trajectoire.patients.models import Contact, Patient

from .dossiers import DossierGenerator
from .people import UNUSABLE_PASSWORD, Directory, load_directory
from .tables import reset_sequences

PRESCRIBER = "historique.demo"
PATIENTS = 160
# Where the history's patients live (INSEE codes): Lyon 1er (Lyon is split in arrondissements), Bourg-en-Bresse.
HOMES = (("69381", "69"), ("01053", "01"))


def _directory(departements: list[str]) -> Directory:
    """The territory's units, without those of structures where a demo account works."""
    units = Unite.objects.filter(structure__departement__in=departements).exclude(
        structure_id__in=Membership.objects.values("structure_id")
    )
    return load_directory(units, with_communes=False)


def load(ctx) -> None:
    if User.objects.filter(username=PRESCRIBER).exists():
        return
    homes = [(Commune.objects.filter(insee=insee).first(), dep) for insee, dep in HOMES]
    homes = [(commune, dep) for commune, dep in homes if commune is not None]
    if not homes:
        return
    with transaction.atomic():
        prescriber = User.objects.create(
            username=PRESCRIBER, kind=Kind.PROFESSIONNEL, profession=Profession.MEDECIN, is_active=False,
            first_name="Historique", last_name="de démonstration", password=UNUSABLE_PASSWORD,
        )  # fmt: skip
        generator = DossierGenerator(
            random.Random(2026),
            _directory([dep for _, dep in homes]),
            doctors=[(prescriber.pk, commune.pk, dep) for commune, dep in homes],
            now=timezone.now(),
        )
        for _ in range(PATIENTS):
            generator.patient()
        generator.flush()
    reset_sequences([Patient, Contact, Dossier, Section, Demande, DemandeEvent])
    ctx.say(
        f"Observatoire : historique de {generator.demandes.written} demandes sur deux ans dans l’Ain et le Rhône "
        "(structures sans compte de démonstration)"
    )
