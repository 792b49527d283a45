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
    """Mentions of SMR authorisations; the stored value is the ANS code.

    Mentions: décret n° 2022-25 du 11 janvier 2022 (conditions d'implantation de l'activité de SMR, CSP
    art. R. 6123-145 ff.) and décret n° 2022-24 (conditions techniques). Codes and labels: ANS nomenclature
    TRE_R383 « MentionActDeSoinAmm » (OID 1.2.250.1.213.1.6.1.298),
    https://smt.esante.gouv.fr/fhir/CodeSystem/tre-r383-mention-act-de-soin-amm — vérifié on the published
    CodeSystem (ME050 to ME062). Pédiatrie has two modalities (ME060, ME061) and « Oncologie et hématologie »
    (ME056) is distinct from « Oncologie » (ME062).
    """

    POLYVALENT = "ME050", "Polyvalent"
    LOCOMOTEUR = "ME051", "Locomoteur"
    SYSTEME_NERVEUX = "ME052", "Système nerveux"
    CARDIO_VASCULAIRE = "ME053", "Cardio-vasculaire"
    PNEUMOLOGIE = "ME054", "Pneumologie"
    DIGESTIF = "ME055", "Système digestif, endocrinologie, diabétologie, nutrition"
    ONCOLOGIE_HEMATOLOGIE = "ME056", "Oncologie et hématologie"
    BRULES = "ME057", "Brûlés"
    ADDICTIONS = "ME058", "Conduites addictives"
    GERIATRIE = "ME059", "Gériatrie"
    PEDIATRIE_ENFANTS_ADOLESCENTS = "ME060", "Pédiatrie : enfants et adolescents"
    PEDIATRIE_JEUNES_ENFANTS = "ME061", "Pédiatrie : jeunes enfants, enfants et adolescents"
    ONCOLOGIE = "ME062", "Oncologie"


# Values stored before issue 15 → ANS code. The old single « pédiatrie » and « oncologie » become the
# narrower modality (a unit keeps only what it surely holds; its référent can add the wider one).
MENTION_SMR_LEGACY = {
    "polyvalent": MentionSMR.POLYVALENT,
    "geriatrie": MentionSMR.GERIATRIE,
    "locomoteur": MentionSMR.LOCOMOTEUR,
    "systeme_nerveux": MentionSMR.SYSTEME_NERVEUX,
    "cardio_vasculaire": MentionSMR.CARDIO_VASCULAIRE,
    "pneumologie": MentionSMR.PNEUMOLOGIE,
    "digestif": MentionSMR.DIGESTIF,
    "brules": MentionSMR.BRULES,
    "addictions": MentionSMR.ADDICTIONS,
    "pediatrie": MentionSMR.PEDIATRIE_ENFANTS_ADOLESCENTS,
    "oncologie": MentionSMR.ONCOLOGIE,
}

# A unit's mention also satisfies the requests of the mentions listed here. ME061 « jeunes enfants, enfants et
# adolescents » covers the children and teenagers of ME060, not the reverse (read from the labels of TRE_R383;
# the décret's wording of the two modalities is « non vérifié »). Oncologie and Oncologie et hématologie are
# kept apart: a request names the one it needs.
MENTION_SMR_COVERS = {MentionSMR.PEDIATRIE_JEUNES_ENFANTS: (MentionSMR.PEDIATRIE_ENFANTS_ADOLESCENTS,)}


def unit_satisfies_mention(unit_mentions, requested: str) -> bool:
    """True when a unit authorised for `unit_mentions` (ANS codes) can take a request for `requested`."""
    return any(m == requested or requested in MENTION_SMR_COVERS.get(m, ()) for m in unit_mentions or ())


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
