"""TND: the child's age band, the screening booklet of that band, and its orientation rule.

Pure functions, no Django. Sources:
- Age bands and eligibility: the two ViaTrajectoire seed guides (PCO 0-6 ans inclus; PCO 7-12 ans
  inclus) and SPEC §3.3; an MDPH orientation makes a child ineligible for the PCO 7-12 (a pending MDPH
  request does not). Non vérifié on an official text (the seed guides only).
- Booklet 0-6: `LIVRET_0_6` — « Guide de repérage des signes inhabituels de développement chez les enfants
  de moins de 7 ans », Délégation interministérielle à la stratégie nationale pour les TND, version 2024
  (diffused in March 2024, validated by the HAS): grids by age *bands* (6 à 11 mois, 24 à 35 mois…), not
  exact ages (https://www.centre-val-de-loire.ars.sante.fr/guide-de-reperage-des-signes-inhabituels-de-
  developpement-chez-les-enfants-de-moins-de-7-ans-0; https://www.fondshs.fr/actualites/sante/tnd-
  publication-nouvelle-version-guide-reperage). The band limits are vérifiées for the examples those pages
  give; the items are abridged (the booklet's text was not retrievable verbatim).
- Booklet 7-12: `LIVRET_7_12` — « Repérage des TND chez les enfants de 7 à 12 ans » (2022): non vérifié.
- Risk factors and their two levels: HAS, « Troubles du neurodéveloppement — Repérage et orientation des
  enfants à risque », recommandation de bonne pratique, février 2020
  (https://www.has-sante.fr/jcms/p_3161334/fr/troubles-du-neurodeveloppement-reperage-et-orientation-des-
  enfants-a-risque). The « haut risque » list is vérifiée on that page (grande prématurité < 32 SA;
  prématurés < 37 SA avec RCIU ou PAG; encéphalopathie hypoxo-ischémique; AVC artériel périnatal;
  anomalies de la croissance cérébrale; antécédents familiaux de TND sévère; infections congénitales
  symptomatiques; méningo-encéphalites; cardiopathies congénitales complexes opérées; exposition prénatale
  à un toxique). The « risque modéré » list (prématurité modérée ou tardive, 32 à 36 SA + 6 j) is read
  from the same recommendation's wording but its full list was not retrieved: non vérifié.

The rule, as encoded (one place: `ORIENTATION_RULE`; non vérifié on the booklet's text):
- a regression of acquisitions (« signe majeur ») at any age → orientation indicated;
- otherwise signes d'alerte in at least 2 different domains → orientation indicated;
- with at least one *high-risk* factor the threshold falls to 1 domain; a *moderate* factor is recorded and
  shown (closer follow-up) but keeps the threshold of 2 domains;
- 7-12: the same count, and an existing MDPH orientation → not eligible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

PCO_0_6 = "pco_0_6"
PCO_7_12 = "pco_7_12"

DOMAINES = {
    "motricite_globale": "Motricité globale",
    "motricite_fine": "Motricité fine",
    "langage": "Langage",
    "socialisation": "Socialisation et interactions",
    "comportement": "Comportement (à tout âge)",
    "langage_ecrit": "Langage écrit (lecture, orthographe)",
    "cognition": "Raisonnement, mathématiques",
    "attention": "Attention, fonctions exécutives",
}

ORIENTATION_RULE = {"domaines_min": 2, "domaines_min_avec_facteur_haut_risque": 1}
RULE_VERIFIED = False  # the booklet's orientation rule was not found verbatim: shown as such on the page

LIVRET_0_6 = (
    "Guide de repérage des signes inhabituels de développement chez les enfants de moins de 7 ans"
    " (DIA-TND, version 2024)"
)
LIVRET_7_12 = "Repérage des TND chez les enfants de 7 à 12 ans (2022)"

HAUT_RISQUE = "haut"
RISQUE_MODERE = "modere"
NIVEAUX = {HAUT_RISQUE: "haut risque", RISQUE_MODERE: "risque modéré"}

# code → (label, level). HAS février 2020 (see the module docstring).
FACTEURS = {
    "grande_prematurite": ("Grande prématurité (< 32 SA)", HAUT_RISQUE),
    "rciu_pag": ("Prématurité < 37 SA avec retard de croissance intra-utérin ou petit poids pour l’âge", HAUT_RISQUE),
    "encephalopathie": ("Encéphalopathie hypoxo-ischémique néonatale (hypothermie thérapeutique)", HAUT_RISQUE),
    "avc_perinatal": ("Accident vasculaire cérébral artériel périnatal", HAUT_RISQUE),
    "croissance_cerebrale": ("Anomalie de la croissance cérébrale (microcéphalie, macrocéphalie)", HAUT_RISQUE),
    "antecedent_familial": ("Antécédent familial de TND sévère au 1er degré (parent, frère ou sœur)", HAUT_RISQUE),
    "infection_congenitale": ("Infection congénitale symptomatique, méningo-encéphalite", HAUT_RISQUE),
    "cardiopathie_operee": ("Cardiopathie congénitale complexe opérée", HAUT_RISQUE),
    "exposition_prenatale": ("Exposition prénatale à un toxique (alcool, valproate…)", HAUT_RISQUE),
    "prematurite": ("Prématurité modérée ou tardive (32 à 36 SA + 6 jours)", RISQUE_MODERE),
}
FACTEURS_DE_RISQUE = {code: label for code, (label, _level) in FACTEURS.items()}


def niveau(code: str) -> str | None:
    return FACTEURS[code][1] if code in FACTEURS else None


def livret_for(band: str | None) -> str:
    return LIVRET_7_12 if band == PCO_7_12 else LIVRET_0_6


@dataclass(frozen=True)
class Signe:
    code: str
    domaine: str
    label: str


@dataclass(frozen=True)
class Grille:
    code: str
    label: str
    min_months: int  # inclusive
    max_months: int  # exclusive
    signes: tuple[Signe, ...]


def _s(code, domaine, label):
    return Signe(code, domaine, label)


_TOUT_AGE = (
    _s("cpt_sommeil", "comportement", "Troubles importants et persistants du sommeil ou de l’alimentation"),
    _s("cpt_sensoriel", "comportement", "Réactions sensorielles inhabituelles (bruits, textures, lumière)"),
    _s("cpt_stereotypies", "comportement", "Mouvements répétitifs ou intérêts restreints inhabituels"),
)

GRILLES = (
    Grille(
        "0_5m",
        "Moins de 6 mois",
        0,
        6,
        (
            _s("m0_tonus", "motricite_globale", "Ne tient pas sa tête"),
            _s("m0_mains", "motricite_fine", "Mains toujours fermées, ne les porte pas à la bouche"),
            _s("m0_sons", "langage", "N’émet aucun son (gazouillis)"),
            _s("m0_sourire", "socialisation", "Pas de sourire réponse, ne suit pas du regard"),
            *_TOUT_AGE,
        ),
    ),
    Grille(
        "6_11m",
        "6 à 11 mois",
        6,
        12,
        (
            _s("m6_assis", "motricite_globale", "Ne tient pas assis sans appui"),
            _s("m6_saisie", "motricite_fine", "Ne saisit pas un objet à pleine main"),
            _s("m6_babil", "langage", "Ne babille pas"),
            _s("m6_regard", "socialisation", "Ne regarde pas l’adulte qui lui parle, pas d’intérêt pour les jeux"),
            *_TOUT_AGE,
        ),
    ),
    Grille(
        "12_17m",
        "12 à 17 mois",
        12,
        18,
        (
            _s("m12_debout", "motricite_globale", "Ne tient pas debout avec appui"),
            _s("m12_pince", "motricite_fine", "Pas de pince pouce-index"),
            _s("m12_syllabes", "langage", "Ne redouble pas les syllabes (papa, mama)"),
            _s("m12_pointe", "socialisation", "Ne pointe pas du doigt, ne répond pas à son prénom"),
            *_TOUT_AGE,
        ),
    ),
    Grille(
        "18_23m",
        "18 à 23 mois",
        18,
        24,
        (
            _s("m18_marche", "motricite_globale", "Ne marche pas seul"),
            _s("m18_cubes", "motricite_fine", "N’empile pas deux cubes"),
            _s("m18_mots", "langage", "Ne dit aucun mot en dehors de papa, maman"),
            _s("m18_imite", "socialisation", "N’imite pas les gestes de l’adulte, ne montre pas ce qui l’intéresse"),
            *_TOUT_AGE,
        ),
    ),
    Grille(
        "24_35m",
        "24 à 35 mois",
        24,
        36,
        (
            _s("m24_court", "motricite_globale", "Ne court pas, ne monte pas un escalier"),
            _s("m24_cuillere", "motricite_fine", "Ne mange pas seul à la cuillère"),
            _s("m24_phrase", "langage", "N’associe pas deux mots, ne comprend pas une consigne simple"),
            _s("m24_jeu", "socialisation", "Pas de jeu de faire semblant, ne s’intéresse pas aux autres enfants"),
            *_TOUT_AGE,
        ),
    ),
    Grille(
        "3_3a",
        "3 ans",
        36,
        48,
        (
            _s("a3_saut", "motricite_globale", "Ne saute pas à pieds joints"),
            _s("a3_rond", "motricite_fine", "Ne copie pas un rond"),
            _s("a3_phrase", "langage", "Ne fait pas de phrases de trois mots, langage incompréhensible"),
            _s("a3_echange", "socialisation", "N’échange pas, ne joue pas avec les autres enfants"),
            *_TOUT_AGE,
        ),
    ),
    Grille(
        "4_4a",
        "4 ans",
        48,
        60,
        (
            _s("a4_pied", "motricite_globale", "Ne tient pas sur un pied"),
            _s("a4_croix", "motricite_fine", "Ne copie pas une croix, ne tient pas correctement le crayon"),
            _s("a4_je", "langage", "N’utilise pas le « je », ne raconte pas"),
            _s("a4_regles", "socialisation", "Ne respecte pas les règles simples d’un jeu collectif"),
            *_TOUT_AGE,
        ),
    ),
    Grille(
        "5_6a",
        "5 à 6 ans",
        60,
        84,
        (
            _s("a5_cloche", "motricite_globale", "Ne saute pas à cloche-pied, chutes fréquentes"),
            _s("a5_bonhomme", "motricite_fine", "Ne dessine pas un bonhomme, n’écrit pas son prénom"),
            _s("a5_recit", "langage", "Ne fait pas de récit structuré, erreurs de syntaxe nombreuses"),
            _s("a5_amis", "socialisation", "Pas d’ami, isolement ou conflits répétés"),
            *_TOUT_AGE,
        ),
    ),
    Grille(
        "7_12a",
        "7 à 12 ans",
        84,
        156,
        (
            _s("e_oral", "langage", "Difficultés persistantes de langage oral (compréhension ou expression)"),
            _s("e_lecture", "langage_ecrit", "Lecture lente ou erronée, orthographe très déficitaire"),
            _s("e_maths", "cognition", "Difficultés importantes en calcul ou en raisonnement"),
            _s("e_graphisme", "motricite_fine", "Écriture très laborieuse ou illisible"),
            _s("e_coordination", "motricite_globale", "Maladresse importante, difficultés en sport"),
            _s("e_attention", "attention", "Inattention, agitation ou impulsivité gênant les apprentissages"),
            _s("e_social", "socialisation", "Difficultés dans les relations avec les autres enfants"),
        ),
    ),
)

_ALL_SIGNES = {s.code: s for g in GRILLES for s in g.signes}


def age_in_months(born: date, on: date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    return months - (on.day < born.day)


def age_in_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def tranche(born: date, on: date) -> str | None:
    """PCO 0-6 from birth to 6 years inclusive, PCO 7-12 from 7 to 12 years inclusive, else None."""
    years = age_in_years(born, on)
    if 0 <= years <= 6:
        return PCO_0_6
    if 7 <= years <= 12:
        return PCO_7_12
    return None


def grille_for(born: date, on: date) -> Grille | None:
    months = age_in_months(born, on)
    for grille in GRILLES:
        if grille.min_months <= months < grille.max_months:
            return grille
    return None


@dataclass
class Orientation:
    eligible: bool
    indiquee: bool
    tranche: str | None
    raisons: list[str] = field(default_factory=list)  # why, in French, for the doctor


def evaluate(
    *,
    born: date,
    on: date,
    signes: list[str],
    regression: bool = False,
    facteurs: list[str] = (),
    orientation_mdph: bool = False,
) -> Orientation:
    """Apply the booklet's rule and explain it."""
    band = tranche(born, on)
    if band is None:
        return Orientation(False, False, None, ["L’enfant n’a pas entre 0 et 12 ans révolus : hors du champ des PCO."])
    if band == PCO_7_12 and orientation_mdph:
        return Orientation(
            False, False, band, ["L’enfant a déjà une orientation MDPH : il n’est pas éligible à la PCO 7-12 ans."]
        )
    raisons = []
    facteurs = [f for f in facteurs if f in FACTEURS]
    if regression:
        raisons.append("Régression des acquisitions (signe d’alerte majeur) : orientation indiquée sans attendre.")
        return Orientation(True, True, band, raisons)
    domaines = sorted({_ALL_SIGNES[c].domaine for c in signes if c in _ALL_SIGNES})
    seuil = _threshold(facteurs, raisons)
    n_signes = len([c for c in signes if c in _ALL_SIGNES])
    noms_domaines = ", ".join(_lower_first(DOMAINES[d]) for d in domaines) or "aucun"
    raisons.append(f"{n_signes} signe(s) d’alerte dans {len(domaines)} domaine(s) ({noms_domaines}) ; seuil : {seuil}.")
    indiquee = len(domaines) >= seuil
    if not indiquee:
        raisons.append(
            "Orientation non indiquée par la grille : revoir l’enfant et refaire la grille à la prochaine consultation."
        )
    else:
        raisons.append("Orientation vers la plateforme de coordination et d’orientation indiquée.")
    return Orientation(True, indiquee, band, raisons)


def _threshold(facteurs, raisons: list[str]) -> int:
    """The number of domains required, by the level of the risk factors; explains it in `raisons`."""
    haut = [f for f in facteurs if niveau(f) == HAUT_RISQUE]
    modere = [f for f in facteurs if niveau(f) == RISQUE_MODERE]
    if haut:
        noms = ", ".join(_lower_first(FACTEURS_DE_RISQUE[f]) for f in haut)
        raisons.append(f"Facteur(s) de haut risque ({noms}) : un signe d’alerte dans un seul domaine suffit.")
        return ORIENTATION_RULE["domaines_min_avec_facteur_haut_risque"]
    if modere:
        noms = ", ".join(_lower_first(FACTEURS_DE_RISQUE[f]) for f in modere)
        raisons.append(f"Facteur(s) de risque modéré ({noms}) : suivi rapproché, le seuil reste de 2 domaines.")
    return ORIENTATION_RULE["domaines_min"]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
