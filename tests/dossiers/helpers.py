"""Valid inputs for every section, as a browser would post them."""

from trajectoire.dossiers import aggir

FUTURE = "2099-01-15"

VALID = {
    "grand_age": {
        "administratif": {
            "situation_familiale": "veuf",
            "lieu_de_vie": "domicile",
            "protection_juridique": "aucune",
            "referent_nom": "Dupont",
            "referent_prenom": "Paul",
            "referent_telephone": "0600000000",
            "referent_lien": "enfant",
            "apa": "oui",
            "aide_sociale": "non",
            "aide_logement": "en_cours",
            "date_entree_souhaitee": FUTURE,
        },
        "medical": {
            "antecedents": "HTA",
            "pathologies": "Troubles cognitifs",
            "deficience_visuelle": "appareillee",
            "deficience_auditive": "aucune",
            "risque_chute": "oui",
            "chutes_6_mois": "1",
            "traitements": "Amlodipine",
            "reeducation_en_cours": "non",
            "troubles_cognitifs": "moderes",
        },
        "aggir": {
            **{f"{v}_{s}": "A" for v, subs in aggir.SUB_VARIABLES.items() for s in subs},
            "toilette_haut": "B",
            "toilette_bas": "B",
            "habillage_haut": "B",
            "transferts": "A",
            "deplacements_interieurs": "A",
            "deplacements_exterieurs": "B",
            "communication": "A",
        },
    },
    "sanitaire": {
        "administratif": {
            "lieu_actuel": "mco",
            "protection_juridique": "aucune",
            "referent_nom": "Paul Dupont",
            "referent_telephone": "0600000000",
        },
        "medical": {
            "motif": "Rééducation après prothèse de hanche",
            "diagnostic": "PTH droite",
            "antecedents": "Aucun",
            "traitement": "Anticoagulant",
            "pronostic": "favorable",
            "isolement": "aucun",
            "poids": "72.5",
        },
        "besoins_soins": {"aucun_besoin": "on"},
        "reeducation": {"reeducations": ["kine"], "appui": "total", "objectifs": "Marche sans aide"},
        "autonomie": {
            "deplacements": "aide_partielle",
            "toilette": "aide_partielle",
            "alimentation": "autonome",
            "continence": "continent",
            "troubles_cognitifs": "non",
        },
        "social": {"vit_seul": "non", "situation_sociale": "Vit avec son épouse", "projet_sortie": "domicile"},
        "planification": {"date_souhaitee": FUTURE, "urgence": "normale"},
    },
}
