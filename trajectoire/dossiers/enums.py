from django.db import models

from trajectoire.directory.enums import Domain, StructureType


class Statut(models.TextChoices):
    """The dossier's own life cycle; each demande (demandes app) has its own status."""

    BROUILLON = "brouillon", "Brouillon"
    TRANSMIS = "transmis", "Transmis"
    ARCHIVE = "archive", "Archivé"
    ANNULE = "annule", "Annulé"


class TypeSejour(models.TextChoices):
    """Types of stay of the Cerfa n° 14732*03 (arrêté du 25 novembre 2019)."""

    PERMANENT = "permanent", "Hébergement permanent"
    TEMPORAIRE = "temporaire", "Hébergement temporaire"
    ACCUEIL_JOUR = "accueil_jour", "Accueil de jour"
    ACCUEIL_NUIT = "accueil_nuit", "Accueil de nuit"


class TrancheTND(models.TextChoices):
    PCO_0_6 = "pco_0_6", "PCO 0-6 ans"
    PCO_7_12 = "pco_7_12", "PCO 7-12 ans"


# What a dossier of each domain may ask for (a subset of the directory's structure types).
PRISES_EN_CHARGE = {
    Domain.GRAND_AGE: [StructureType.EHPAD, StructureType.RESIDENCE_AUTONOMIE, StructureType.USLD],
    Domain.SANITAIRE: [
        StructureType.SMR,
        StructureType.HAD,
        StructureType.USP,
        StructureType.SSIAD,
        StructureType.SPASAD,
    ],
    Domain.TND: [StructureType.PCO],
}

NUMERO_PREFIX = {Domain.GRAND_AGE: "GA", Domain.SANITAIRE: "SAN", Domain.TND: "TND"}
