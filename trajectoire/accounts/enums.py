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


# The professions that may read the medical part of a dossier (the medical habilitation of a structure).
# Source: Code de la santé publique, art. L1110-4 (medical secrecy, shared within the care team) and
# art. L1110-12 (équipe de soins); the split between médecins/infirmiers (medical part) and other staff
# (administrative part) follows ViaTrajectoire's « habilitation médicale » — non vérifié against an official
# list (see docs/clinical-rules.md). The profession itself comes from the national identity: the RPPS
# « code profession » (ANS nomenclature TRE_G15_ProfessionSante, https://mos.esante.gouv.fr/NOS/TRE_G15-
# ProfessionSante/) read from the CPS card, e-CPS or the Annuaire Santé. The one rule is
# `accounts.permissions.may_hold_medical_habilitation`.
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
