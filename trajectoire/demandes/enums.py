from django.db import models


class Statut(models.TextChoices):
    ENVOYEE = "envoyee", "Envoyée"
    LUE = "lue", "Lue"
    COMPLEMENT_DEMANDE = "complement_demande", "Complément demandé"
    COMPLETEE = "completee", "Complétée"
    ACCEPTEE = "acceptee", "Acceptée"
    LISTE_ATTENTE = "liste_attente", "Liste d’attente"
    REFUSEE = "refusee", "Refusée"
    ADMISSION_CONFIRMEE = "admission_confirmee", "Admission confirmée"
    ADMIS = "admis", "Admis"
    ANNULEE = "annulee", "Annulée"
    CLOTUREE = "cloturee", "Clôturée"


# A demande is "open" while a structure or the sender may still act on it.
OPEN_STATUTS = frozenset(
    {
        Statut.ENVOYEE,
        Statut.LUE,
        Statut.COMPLEMENT_DEMANDE,
        Statut.COMPLETEE,
        Statut.ACCEPTEE,
        Statut.LISTE_ATTENTE,
    }
)
ADMISSION_STATUTS = frozenset({Statut.ADMISSION_CONFIRMEE, Statut.ADMIS})
FINAL_STATUTS = frozenset({Statut.REFUSEE, Statut.ANNULEE, Statut.CLOTUREE, Statut.ADMIS})


class MotifRefus(models.TextChoices):
    """National list of refusal motifs (SPEC §5)."""

    PAS_DE_PLACE = "pas_de_place", "Absence de place disponible"
    PROFIL_MEDICAL = "profil_medical", "Profil médical non adapté à l’unité"
    SOINS_NON_COUVERTS = "soins_non_couverts", "Besoins en soins non couverts par l’unité"
    HORS_SECTEUR = "hors_secteur", "Hors secteur géographique"
    DOSSIER_INCOMPLET = "dossier_incomplet", "Dossier incomplet"
    REFUS_PATIENT = "refus_patient", "Refus du patient ou de sa famille"
    DATE_TROP_TARDIVE = "date_trop_tardive", "Date d’admission possible trop tardive"
    AGE_NON_ADAPTE = "age_non_adapte", "Âge non adapté à l’unité"
    AUTRE = "autre", "Autre motif (préciser)"


class MotifAnnulation(models.TextChoices):
    DECES = "deces", "Décès du patient"
    RETOUR_DOMICILE = "retour_domicile", "Retour ou maintien à domicile"
    REFUS_PATIENT = "refus_patient", "Refus du patient ou de sa famille"
    AMELIORATION = "amelioration", "Amélioration de l’état de santé"
    SOLUTION_HORS_PLATEFORME = "solution_hors_plateforme", "Solution trouvée hors de la plateforme"
    OFFRE_DECLINEE = "offre_declinee", "Proposition d’admission déclinée"
    ERREUR = "erreur", "Demande envoyée par erreur"
    AUTRE = "autre", "Autre motif (préciser)"


class MotifCloture(models.TextChoices):
    ADMIS_AILLEURS = "admis_ailleurs", "Patient admis ailleurs"
    DOSSIER_ARCHIVE = "dossier_archive", "Dossier archivé sans mise à jour"
    DOSSIER_ANNULE = "dossier_annule", "Dossier annulé"


class Side(models.TextChoices):
    SENDER = "sender", "Demandeur"
    STRUCTURE = "structure", "Structure"
    SYSTEM = "system", "Automatique"
