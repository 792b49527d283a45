"""Demo dossiers of Dr Marie Martin: Grand Âge complete with its GIR, SMR locomoteur complete, TND 4 years, a draft.

Put in `ctx.data["dossiers"]` for the demandes loader. Idempotent: an existing dossier is reused.
"""

from django.db import transaction
from django.http import QueryDict

from trajectoire.directory.enums import Domain

from . import aggir, services
from .models import Dossier

FUTURE = "2099-01-15"

GRAND_AGE = {
    "administratif": {
        "situation_familiale": "veuf",
        "lieu_de_vie": "domicile",
        "protection_juridique": "aucune",
        "referent_nom": "Bernard",
        "referent_prenom": "Michel",
        "referent_telephone": "06 00 00 00 00",
        "referent_lien": "enfant",
        "apa": "oui",
        "aide_sociale": "non",
        "aide_logement": "oui",
        "caisse_retraite": "CARSAT Rhône-Alpes",
        "date_entree_souhaitee": FUTURE,
    },
    "medical": {
        "antecedents": "HTA, fracture du col du fémur (2021)",
        "pathologies": "Maladie d’Alzheimer, stade modéré",
        "deficience_visuelle": "appareillee",
        "deficience_auditive": "appareillee",
        "risque_chute": "oui",
        "chutes_6_mois": "2",
        "traitements": "Donépézil, amlodipine",
        "reeducation_en_cours": "oui",
        "reeducation_precisions": "Kinésithérapie de la marche, deux séances par semaine",
        "besoins": ["troubles_cognitifs", "risque_fugue"],
        "troubles_cognitifs": "moderes",
        "diagnostic_neuro": "oui",
        "comportement": ["deambulation"],
        "comportement_precisions": "Déambulation vespérale",
    },
    "aggir": {
        **{f"{v}_{s}": "B" for v, subs in aggir.SUB_VARIABLES.items() for s in subs},
        "transferts": "A",
        "deplacements_interieurs": "A",
        "deplacements_exterieurs": "B",
        "communication": "B",
        "illustrative_gestion": "C",
        "illustrative_cuisine": "C",
        "illustrative_menage": "C",
    },
}

SANITAIRE = {
    "administratif": {
        "lieu_actuel": "mco",
        "service_adresseur": "Orthopédie, hôpital Édouard-Herriot",
        "protection_juridique": "aucune",
        "referent_nom": "Anne Giraud",
        "referent_telephone": "06 00 00 00 00",
    },
    "medical": {
        "motif": "Rééducation après prothèse totale de hanche droite",
        "diagnostic": "Coxarthrose droite opérée",
        "antecedents": "Diabète de type 2",
        "traitement": "Metformine, enoxaparine",
        "pronostic": "favorable",
        "isolement": "aucun",
        "poids": "82",
    },
    "besoins_soins": {"besoins": ["kinesitherapie", "insulinotherapie"]},
    "reeducation": {"reeducations": ["kine", "ergo"], "appui": "total", "objectifs": "Marche autonome avec une canne"},
    "autonomie": {
        "deplacements": "aide_partielle",
        "toilette": "aide_partielle",
        "alimentation": "autonome",
        "continence": "continent",
        "troubles_cognitifs": "non",
    },
    "social": {
        "vit_seul": "non",
        "aidant": "Anne Giraud (épouse)",
        "situation_sociale": "Vit avec son épouse, maison de plain-pied",
        "projet_sortie": "domicile",
    },
    "planification": {"date_souhaitee": FUTURE, "urgence": "normale"},
}

TND = {
    "administratif": {
        "parent1_nom": "Thi Nguyen",
        "parent1_telephone": "06 00 00 00 00",
        "autorite_parentale": "conjointe",
        "accueil": "maternelle",
        "consentement": "on",
    },
    "facteurs_risque": {"facteurs": ["prematurite"], "terme_sa": "34"},
    "livret": {"signes": ["a4_je", "a4_regles"], "retentissement": "Inquiétude de l’enseignante"},
    "mdph": {"orientation_mdph": "non"},
}


def _post(data):
    q = QueryDict(mutable=True)
    for key, value in data.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q


def _dossier(patient, medecin, domain, sections, **kwargs):
    dossier = Dossier.objects.filter(patient=patient, domain=domain, created_by=medecin).first()
    if dossier is None:
        dossier = services.create_dossier(patient=patient, domain=domain, by=medecin, **kwargs)
        for key, data in sections.items():
            services.validate_section(dossier, key, _post(data), by=medecin)
    return dossier


@transaction.atomic
def load(ctx) -> None:
    medecin = ctx.data.get("users", {}).get("medecin")
    patients = ctx.data.get("patients")
    if medecin is None or not patients:
        return
    dossiers = {
        "grand_age": _dossier(
            patients["grand_age"],
            medecin,
            Domain.GRAND_AGE,
            GRAND_AGE,
            prise_en_charge="ehpad",
            type_sejour="permanent",
        ),
        "sanitaire": _dossier(
            patients["sanitaire"], medecin, Domain.SANITAIRE, SANITAIRE, prise_en_charge="smr", mention_smr="ME051"
        ),
        "tnd": _dossier(patients["tnd"], medecin, Domain.TND, TND),
        "brouillon": _dossier(
            patients["brouillon"],
            medecin,
            Domain.GRAND_AGE,
            {"administratif": {"referent_nom": "Roux", "referent_prenom": "Claire", "temporaire_duree": "30"}},
            prise_en_charge="ehpad",
            type_sejour="temporaire",
        ),
    }
    ctx.data["dossiers"] = dossiers
    ready = sum(d.is_ready_to_send() for d in dossiers.values())
    ctx.say(f"Dossiers de démonstration prêts ({len(dossiers)}, dont {ready} complets).")
