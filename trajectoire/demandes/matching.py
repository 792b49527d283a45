"""From a dossier to the directory's search criteria: who can take this patient, near their home."""

from __future__ import annotations

from django.utils import timezone

from trajectoire.directory.search import Criteres
from trajectoire.dossiers import aggir
from trajectoire.dossiers.models import Dossier

DEFAULT_RADIUS_KM = {"grand_age": 30, "sanitaire": 50, "tnd": 100}


def _sections(dossier: Dossier) -> dict[str, dict]:
    return {s.key: s.data or {} for s in dossier.sections.all()}


def dossier_gir(dossier: Dossier) -> int | None:
    grid = _sections(dossier).get("aggir")
    result = aggir.evaluate_grid(grid) if grid else None
    return result.gir if result else None


def criteres_for(dossier: Dossier, **overrides) -> Criteres:
    """The criteria a dossier implies: type, mention, care needs, age, aide sociale, GIR, the patient's home."""
    sections = _sections(dossier)
    besoins: list[str] = []
    for data in sections.values():
        besoins += [code for code in data.get("besoins", []) or [] if isinstance(code, str)]
    patient = dossier.patient
    criteres = Criteres(
        structure_type=dossier.prise_en_charge,
        domain=dossier.domain,
        insee=patient.commune.insee if patient.commune_id else "",
        commune_chargee=patient.commune if patient.commune_id else None,
        radius_km=DEFAULT_RADIUS_KM.get(dossier.domain, 50),
        capabilities=sorted(set(besoins)),
        mention_smr=dossier.mention_smr,
        age=patient.age_le(timezone.localdate()) if patient.date_naissance else None,
        aide_sociale=sections.get("administratif", {}).get("aide_sociale") in ("oui", "en_cours"),
        gir=dossier_gir(dossier),
        # A PCO TND is competent for the child's département only (SPEC §3.3).
        departement_competent=patient.commune.departement if dossier.domain == "tnd" and patient.commune_id else "",
    )
    for key, value in overrides.items():
        if value not in (None, ""):
            setattr(criteres, key, value)
    return criteres
