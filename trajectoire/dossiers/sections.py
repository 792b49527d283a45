"""The registry of section definitions per domain, and the completeness of a dossier."""

from __future__ import annotations

from dataclasses import dataclass

from trajectoire.directory.enums import Domain

from .section_forms import grand_age, sanitaire
from .section_forms import tnd as tnd_forms


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    form_class: type
    is_medical: bool = False
    required: bool = True
    cerfa_part: str = ""  # where it prints on the national form


REGISTRY: dict[str, list[SectionDef]] = {
    Domain.GRAND_AGE: [
        SectionDef(
            "administratif", "Partie administrative", grand_age.AdministratifGrandAgeForm, cerfa_part="administratif"
        ),
        SectionDef("medical", "Partie médicale", grand_age.MedicalGrandAgeForm, is_medical=True, cerfa_part="medical"),
        SectionDef("aggir", "Grille AGGIR", grand_age.AggirForm, is_medical=True, cerfa_part="medical"),
    ],
    Domain.SANITAIRE: [
        SectionDef("administratif", "Informations administratives", sanitaire.AdministratifSanitaireForm),
        SectionDef("medical", "Informations médicales", sanitaire.MedicalSanitaireForm, is_medical=True),
        SectionDef("besoins_soins", "Besoins en soins", sanitaire.BesoinsSoinsForm, is_medical=True),
        SectionDef("reeducation", "Rééducation", sanitaire.ReeducationForm, is_medical=True),
        SectionDef("autonomie", "Autonomie", sanitaire.AutonomieForm, is_medical=True),
        SectionDef("social", "Situation sociale et projet de sortie", sanitaire.SocialForm),
        SectionDef("planification", "Date souhaitée et urgence", sanitaire.PlanificationForm),
    ],
    Domain.TND: [
        SectionDef("administratif", "L’enfant et ses parents", tnd_forms.AdministratifTndForm),
        SectionDef("livret", "Livret de repérage", tnd_forms.LivretForm, is_medical=True),
        SectionDef("facteurs_risque", "Facteurs de risque", tnd_forms.FacteursRisqueForm, is_medical=True),
        SectionDef("mdph", "Orientation MDPH", tnd_forms.MdphForm),
    ],
}


def definitions_for(dossier) -> list[SectionDef]:
    return REGISTRY[dossier.domain]


def definition(dossier, key: str) -> SectionDef | None:
    return next((d for d in definitions_for(dossier) if d.key == key), None)


@dataclass(frozen=True)
class SectionStatus:
    definition: SectionDef
    section: object | None  # the Section row, if any input was saved

    @property
    def key(self):
        return self.definition.key

    @property
    def is_valid(self) -> bool:
        return self.section is not None and self.section.is_valid

    @property
    def started(self) -> bool:
        return self.section is not None and bool(self.section.data)

    @property
    def label(self) -> str:
        if self.is_valid:
            return "Validée"
        if self.started:
            return "Brouillon"
        return "À compléter"

    @property
    def badge(self) -> str:
        """DSFR badge modifier for the status."""
        if self.is_valid:
            return "success"
        if self.started:
            return "warning"
        return "info"


def statuses(dossier) -> list[SectionStatus]:
    """Uses the prefetched `sections` when present (no query per section)."""
    by_key = {s.key: s for s in dossier.sections.all()}
    return [SectionStatus(d, by_key.get(d.key)) for d in definitions_for(dossier)]
