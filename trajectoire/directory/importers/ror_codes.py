"""ANS nomenclatures read by the ROR import, and what each code means for Trajectoire's units.

Sources (ANS, « Terminologies de santé », package ans.fr.terminologies, and the ROR FHIR guide
https://interop.esante.gouv.fr/ig/fhir/ror):
- TRE_R227 « Champ d'activité » (HealthcareService.type; value set JDV_J20-ChampActivite-ROR):
  01 MCO, 02 SMR, 03 Psychiatrie, 04 Médico-social, 05 Ville, 06 Social.
- TRE_R213 « Mode de prise en charge » (HealthcareService.characteristic[careMode]; JDV_J19-ModePriseEnCharge-ROR,
  version 20260629120000): every code of the value set is listed below, with its effect (most have none).
- TRE_R211 « Activité opérationnelle » (HealthcareService.specialty[operationalActivity], 629 codes, version
  20260730120000): only the codes below are mapped (labels copied from the code system); every other code is
  counted and reported by the import, never silently dropped.
- TRE_R330 « Statut de capacité » / TRE_R331 « Temporalité de capacité » (extension ror-location-supported-capacity
  on Location): 01 Installé, 02 Disponible / 01 Courant.
- SMR mentions: TRE_R383 « Mention d'activité de soins » (ME050 to ME062, décret n° 2022-24), read from any coding
  of the HealthcareService whose system is TRE_R383. Where the ROR carries the SMR mention of an offer is
  « non vérifié » (not found in the ROR guide's examples); an SMR offer without such a coding is counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..categories import domain_for
from ..enums import MentionSMR, StructureType

NOS = "https://mos.esante.gouv.fr/NOS/"
CHAMP_ACTIVITE = "TRE_R227-ChampActivite"
MODE_PRISE_EN_CHARGE = "TRE_R213-ModePriseEnCharge"
ACTIVITE_OPERATIONNELLE = "TRE_R211-ActiviteOperationnelle"
MENTION_SMR = "TRE_R383"
STATUT_CAPACITE = "TRE_R330"
TEMPORALITE_CAPACITE = "TRE_R331"

# TRE_R227: the champ d'activité decides the unit's type when the structure's FINESS category does not.
CHAMPS = {
    "01": ("Médecine, Chirurgie, Obstétrique (MCO)", StructureType.HOPITAL),
    "02": ("Soins Médicaux et de réadaptation (SMR)", StructureType.SMR),
    "03": ("Psychiatrie (PSY)", None),  # no psychiatric orientation in Trajectoire
    "04": ("Médico-social (MS)", None),  # the structure's FINESS category says which (EHPAD, SSIAD, CAMSP…)
    "05": ("Ville", None),
    "06": ("Social", None),
}

# TRE_R213 (the whole JDV_J19 value set): (label, unit type it implies, capability it implies).
MODES = {
    "01": ("Accueil Permanence des soins en établissement de santé", None, None),
    "02": ("Accueil spécialisé", None, None),
    "09": ("Chirurgie ambulatoire", None, None),
    "11": ("Equipe mobile extra-hospitalière", None, None),
    "13": ("Hospitalisation courte durée (UHCD)", None, None),
    "17": ("Précarité, permanence d'accès aux soins de santé (PASS)", None, None),
    "20": ("Soins externes et traitements ambulatoires", None, None),
    "27": ("Régulation médicale téléphonique", None, None),
    "28": ("Hospitalisation complète (HC)", None, None),
    "29": ("Hospitalisation de jour (HJ)", None, None),
    "30": ("Hospitalisation de nuit (HN)", None, None),
    "31": ("Hospitalisation à domicile (HAD)", StructureType.HAD, None),
    "32": ("Consultation (CS) ou Séance", None, None),
    "33": ("Accueil des urgences", None, None),
    "34": ("Hospitalisation de semaine (HS)", None, None),
    "35": ("Téléexpertise", None, None),
    "36": ("Téléassistance", None, None),
    "37": ("Télésurveillance médicale", None, None),
    "38": ("Isolement de secteur (unité de cohorting)", None, "isolement_infectieux"),
    "39": ("Réunion de Concertation Pluridisciplinaire (RCP)", None, None),
    "40": ("Réunion de Concertation Pluridisciplinaire (RCP) de recours", None, None),
    "41": ("Accueil familial thérapeutique", None, None),
    "42": ("Prise en charge de groupe", None, None),
    "46": ("Hébergement (accueil jour et nuit)", None, None),
    "47": ("Accueil de jour", None, "accueil_de_jour"),
    "48": ("Accueil de nuit", None, None),
    "49": ("Sur les lieux de vie", None, None),
    "50": ("Placement famille d'accueil", None, None),
    "52": ("Equipe mobile intra-hospitalière", None, None),
    "53": ("Equipe mobile extra et intra-hospitalière", None, None),
    "54": ("Accueil individuel ou collectif", None, None),
    "55": ("Plateau technique", None, None),
    "56": ("Accueil non programmé", None, None),
    "57": ("Centre spécialisé", None, None),
    "58": ("Suivi ou coordination de parcours", None, None),
    "59": ("Equipe d'intervention mobile", None, None),
    "60": ("Dispositif expérimental", None, None),
}

# TRE_R211: activité opérationnelle → capabilities of the thesaurus (trajectoire/directory/data/thesaurus.json).
ACTIVITES = {
    "001": ("Addictologie comportementale (sans substance)", ["conduites_addictives"]),
    "003": ("Alcoologie", ["conduites_addictives"]),
    "170": ("Soins palliatifs", ["soins_palliatifs"]),
}
PALLIATIVE = "170"
FULL_HOSPITALISATION = "28"


def mention_value(code: str) -> str | None:
    """A TRE_R383 code (ME050–ME062) is stored as it is: `MentionSMR` values are the ANS codes (issue 15)."""
    return code if code in MentionSMR.values else None


def short_system(system: str) -> str:
    """'https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/…' → 'TRE_R211-ActiviteOperationnelle'."""
    return system.removeprefix(NOS).split("/")[0] if system.startswith(NOS) else system


@dataclass
class Offre:
    """What a HealthcareService means for a unit; `unknown` lists (nomenclature, code, label) without mapping."""

    structure_type: str = ""
    domain: str = ""
    mentions_smr: list[str] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    unknown: list[tuple[str, str, str]] = field(default_factory=list)


def codings(resource: dict, key: str) -> list[dict]:
    value = resource.get(key) or []
    concepts = value if isinstance(value, list) else [value]
    return [c for concept in concepts if isinstance(concept, dict) for c in concept.get("coding") or []]


def map_offer(hs: dict, structure_type: str) -> Offre:
    """The unit a HealthcareService describes, for a structure whose FINESS category gives `structure_type`."""
    offre = Offre()
    by_system: dict[str, list[tuple[str, str]]] = {}
    for key in ("type", "specialty", "characteristic", "category"):
        for c in codings(hs, key):
            by_system.setdefault(short_system(c.get("system", "")), []).append(
                (c.get("code", ""), c.get("display", ""))
            )
    champs = [code for code, _ in by_system.get(CHAMP_ACTIVITE, [])]
    modes = [code for code, _ in by_system.get(MODE_PRISE_EN_CHARGE, [])]
    activites = [code for code, _ in by_system.get(ACTIVITE_OPERATIONNELLE, [])]
    offre.structure_type = _unit_type(champs, modes, activites, structure_type)
    offre.domain = domain_for(offre.structure_type)
    capabilities: list[str] = []
    for system, table in (
        (ACTIVITE_OPERATIONNELLE, ACTIVITES),
        (MODE_PRISE_EN_CHARGE, MODES),
        (CHAMP_ACTIVITE, CHAMPS),
    ):
        for code, display in by_system.get(system, []):
            if code not in table:
                offre.unknown.append((system, code, display))
            elif system == ACTIVITE_OPERATIONNELLE:
                capabilities += table[code][1]
            elif system == MODE_PRISE_EN_CHARGE and table[code][2]:
                capabilities.append(table[code][2])
    for system, found in by_system.items():
        if system.startswith(MENTION_SMR):
            for code, display in found:
                value = mention_value(code)
                offre.mentions_smr.append(value) if value else offre.unknown.append((MENTION_SMR, code, display))
    offre.capabilities = list(dict.fromkeys(capabilities))
    offre.mentions_smr = list(dict.fromkeys(offre.mentions_smr))
    return offre


def _unit_type(champs: list[str], modes: list[str], activites: list[str], structure_type: str) -> str:
    if any(MODES.get(m, (None, None))[1] == StructureType.HAD for m in modes):
        return StructureType.HAD
    if PALLIATIVE in activites and FULL_HOSPITALISATION in modes:
        return StructureType.USP  # an inpatient palliative care unit
    for champ in champs:
        if CHAMPS.get(champ, (None, None))[1] == StructureType.SMR:
            return StructureType.SMR
    if structure_type:
        return structure_type  # médico-social offers (EHPAD, SSIAD, CAMSP…): the FINESS category of the structure
    return next((CHAMPS[c][1] for c in champs if CHAMPS.get(c, (None, None))[1]), "")


def count_unknown(counter: Counter, offre: Offre) -> None:
    for item in offre.unknown:
        counter[item] += 1
