from django.db import models


class Domain(models.TextChoices):
    GRAND_AGE = "grand_age", "Grand Âge"
    SANITAIRE = "sanitaire", "Sanitaire (suites de soins)"
    TND = "tnd", "Troubles du neuro-développement"


class StructureType(models.TextChoices):
    EHPAD = "ehpad", "EHPAD"
    EHPA = "ehpa", "EHPA (hébergement non médicalisé)"
    RESIDENCE_AUTONOMIE = "residence_autonomie", "Résidence autonomie"
    USLD = "usld", "Unité de soins de longue durée (USLD)"
    SMR = "smr", "Soins médicaux et de réadaptation (SMR)"
    HAD = "had", "Hospitalisation à domicile (HAD)"
    USP = "usp", "Unité de soins palliatifs (USP)"
    SSIAD = "ssiad", "Service de soins infirmiers à domicile (SSIAD)"
    SPASAD = "spasad", "Service polyvalent d’aide et de soins à domicile (SPASAD)"
    PCO = "pco", "Plateforme de coordination et d’orientation TND (PCO)"
    CAMSP = "camsp", "Centre d’action médico-sociale précoce (CAMSP)"
    CMPP = "cmpp", "Centre médico-psycho-pédagogique (CMPP)"
    SESSAD = "sessad", "Service d’éducation spéciale et de soins à domicile (SESSAD)"
    HOPITAL = "hopital", "Établissement de santé (MCO)"


STRUCTURE_TYPE_DOMAIN = {
    StructureType.EHPAD: Domain.GRAND_AGE,
    StructureType.EHPA: Domain.GRAND_AGE,
    StructureType.RESIDENCE_AUTONOMIE: Domain.GRAND_AGE,
    StructureType.USLD: Domain.GRAND_AGE,
    StructureType.SMR: Domain.SANITAIRE,
    StructureType.HAD: Domain.SANITAIRE,
    StructureType.USP: Domain.SANITAIRE,
    StructureType.SSIAD: Domain.SANITAIRE,
    StructureType.SPASAD: Domain.SANITAIRE,
    StructureType.PCO: Domain.TND,
    StructureType.CAMSP: Domain.TND,
    StructureType.CMPP: Domain.TND,
    StructureType.SESSAD: Domain.TND,
    StructureType.HOPITAL: Domain.SANITAIRE,
}


class MentionSMR(models.TextChoices):
    """Mentions of SMR authorisations (décret n° 2022-24)."""

    POLYVALENT = "polyvalent", "Polyvalent"
    GERIATRIE = "geriatrie", "Gériatrie"
    LOCOMOTEUR = "locomoteur", "Locomoteur"
    SYSTEME_NERVEUX = "systeme_nerveux", "Système nerveux"
    CARDIO_VASCULAIRE = "cardio_vasculaire", "Cardio-vasculaire"
    PNEUMOLOGIE = "pneumologie", "Pneumologie"
    DIGESTIF = "digestif", "Système digestif, endocrinologie, diabétologie, nutrition"
    BRULES = "brules", "Brûlés"
    ADDICTIONS = "addictions", "Conduites addictives"
    PEDIATRIE = "pediatrie", "Pédiatrie"
    ONCOLOGIE = "oncologie", "Oncologie"


class PlacesSource(models.TextChoices):
    """Who declared a unit's free places (shown beside the figure, SPEC §4: a figure says where it comes from)."""

    REFERENT = "referent", "référent de la structure"
    ROR = "ror", "import ROR"
    API = "api", "logiciel de la structure (API)"


class DescriptionSource(models.TextChoices):
    """Where a unit's description (type, mentions, capabilities, ages, capacity) comes from."""

    FINESS = "finess", "catégorie FINESS"
    ROR = "ror", "import ROR"
    REFERENT = "referent", "référent de la structure"
