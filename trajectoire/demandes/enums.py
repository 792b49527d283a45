from django.db import models

from trajectoire.directory.enums import Domain


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
    """Every refusal motif of this instance (the stored values); `MOTIFS_REFUS` says which a domain offers.

    Source: SPEC §5 (the ViaTrajectoire seed documents). No public national list of refusal motifs could be
    found: this is the instance's fixed list, not « la liste nationale » (docs/refusal-motifs.md).
    """

    PAS_DE_PLACE = "pas_de_place", "Absence de place disponible"
    PROFIL_MEDICAL = "profil_medical", "Profil médical non adapté à l’unité"
    SOINS_NON_COUVERTS = "soins_non_couverts", "Besoins en soins non couverts par l’unité"
    HORS_SECTEUR = "hors_secteur", "Hors secteur géographique"
    DOSSIER_INCOMPLET = "dossier_incomplet", "Dossier incomplet"
    REFUS_PATIENT = "refus_patient", "Refus du patient ou de sa famille"
    DATE_TROP_TARDIVE = "date_trop_tardive", "Date d’admission possible trop tardive"
    AGE_NON_ADAPTE = "age_non_adapte", "Âge non adapté à l’unité"
    AUTRE = "autre", "Autre motif (préciser)"


_COMMUNS = (
    MotifRefus.PAS_DE_PLACE,
    MotifRefus.PROFIL_MEDICAL,
    MotifRefus.SOINS_NON_COUVERTS,
    MotifRefus.HORS_SECTEUR,
    MotifRefus.DOSSIER_INCOMPLET,
    MotifRefus.REFUS_PATIENT,
)
# The one place where an instance aligns its lists: per domain, the motifs a structure may choose, in order.
MOTIFS_REFUS = {
    Domain.GRAND_AGE: (*_COMMUNS, MotifRefus.DATE_TROP_TARDIVE, MotifRefus.AGE_NON_ADAPTE, MotifRefus.AUTRE),
    Domain.SANITAIRE: (*_COMMUNS, MotifRefus.DATE_TROP_TARDIVE, MotifRefus.AGE_NON_ADAPTE, MotifRefus.AUTRE),
    # A PCO is competent by département and age band; there is no admission date to miss.
    Domain.TND: (*_COMMUNS, MotifRefus.AGE_NON_ADAPTE, MotifRefus.AUTRE),
}


def motifs_refus_for(domain) -> tuple:
    """The refusal motifs offered for a demande of `domain` (every motif when the domain is unknown)."""
    return MOTIFS_REFUS.get(domain, tuple(MotifRefus))


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
