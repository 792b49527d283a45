"""Choosing structures: the family's search, sending, following answers, offers.

The GIR is medical data (it comes from the doctor's AGGIR grid): the family never sees it, nor any value
that reveals it. The search runs with the person's GIR (`matching.criteres_for`), and the family is shown
the monthly price before aids only — accommodation + the GIR 5-6 dependency tariff, the same for every GIR
(directory.services.prix_mensuel_ehpad) — never a GIR-dependent figure, which would disclose the GIR. Units the
search excludes are not listed either: their reasons may name care needs from the medical part.
"""

from __future__ import annotations

from dataclasses import dataclass

from trajectoire.demandes import services as demande_services
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.matching import criteres_for
from trajectoire.directory.search import search
from trajectoire.dossiers.enums import PRISES_EN_CHARGE

from .comptes import CompteError

TYPES = PRISES_EN_CHARGE["grand_age"]


def blocking_reasons(dossier, user) -> list[str]:
    """Why the family cannot send yet (the rules live in `demandes.services.send_blockers`, which `send`
    applies whatever the route)."""
    return demande_services.send_blockers(dossier, user)


def family_search(dossier, *, structure_type="", commune="", insee="", radius_km=None, free_places_only=False):
    """Units near the chosen commune. Excluded units are not returned: their reasons may be medical."""
    criteres = criteres_for(
        dossier,
        structure_type=structure_type if structure_type in TYPES else "",
        commune=commune,
        insee=insee,
        radius_km=radius_km,
        free_places_only=free_places_only or None,
    )
    if commune and not insee:
        criteres.insee = ""  # a typed commune wins over the person's home
    return search(criteres, limit=30, with_excluded=False)


def send(dossier, unites, *, by):
    try:
        return demande_services.send(dossier, unites, by=by)
    except demande_services.SendError as exc:
        raise CompteError(str(exc)) from exc


@dataclass
class Suivi:
    """One demande as the family reads it."""

    demande: object
    texte: str
    badge: str
    offre: bool


def suivi(demande) -> Suivi:
    s = demande.statut
    if s == Statut.ACCEPTEE:
        date = demande.date_admission_proposee
        return Suivi(demande, f"Place proposée : entrée possible le {date:%d/%m/%Y}", "success", True)
    texts = {
        Statut.ENVOYEE: ("Envoyée : pas encore lue par l’établissement", "info"),
        Statut.LUE: ("Lue par l’établissement : réponse en attente", "info"),
        Statut.COMPLEMENT_DEMANDE: ("L’établissement demande des informations complémentaires", "warning"),
        Statut.COMPLETEE: ("Informations complémentaires envoyées", "info"),
        Statut.LISTE_ATTENTE: ("Sur liste d’attente", "new"),
        Statut.ADMISSION_CONFIRMEE: ("Vous avez accepté cette place", "success"),
        Statut.ADMIS: ("Entrée dans l’établissement enregistrée", "success"),
    }
    if s in texts:
        return Suivi(demande, *texts[s], False)
    if s == Statut.REFUSEE:
        motif = demande.get_motif_refus_display() or "non précisé"
        return Suivi(demande, f"Refusée — motif : {motif}", "error", False)
    motif = demande.get_motif_cloture_display() or demande.get_motif_annulation_display()
    label = "Clôturée" if s == Statut.CLOTUREE else "Annulée"
    return Suivi(demande, f"{label}{' — ' + motif.lower() if motif else ''}", "info", False)


def accept_offer(demande, *, by):
    return demande_services.confirm_admission(demande, by)


def decline_offer(demande, *, by, comment=""):
    return demande_services.decline_offer(demande, by, comment)
