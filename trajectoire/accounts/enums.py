from django.db import models


class Kind(models.TextChoices):
    PROFESSIONNEL = "professionnel", "Professionnel"
    USAGER = "usager", "Usager ou aidant"


class Profession(models.TextChoices):
    """Simplified from the RPPS profession codes (TRE_G15), plus the non-medical staff of structures."""

    MEDECIN = "medecin", "Médecin"
    INFIRMIER = "infirmier", "Infirmier ou infirmière"
    MASSEUR_KINE = "masseur_kine", "Masseur-kinésithérapeute"
    PHARMACIEN = "pharmacien", "Pharmacien"
    ASSISTANT_SOCIAL = "assistant_social", "Assistant ou assistante de service social"
    CADRE_SANTE = "cadre_sante", "Cadre de santé"
    SECRETAIRE = "secretaire", "Secrétaire médical ou administratif"
    AUTRE = "autre", "Autre professionnel"


MEDICAL_PROFESSIONS = {Profession.MEDECIN, Profession.INFIRMIER}

# RPPS "code profession" (TRE_G15_ProfessionSante) to our simplified list.
RPPS_PROFESSION_CODES = {
    "10": Profession.MEDECIN,
    "60": Profession.INFIRMIER,
    "70": Profession.MASSEUR_KINE,
    "21": Profession.PHARMACIEN,
}


class Role(models.TextChoices):
    """Habilitations of a member inside a structure (SPEC §1)."""

    ADMISSIONS = "admissions", "Admissions"
    MEDICAL = "medical", "Médical"
    REFERENT = "referent", "Référent structure"
