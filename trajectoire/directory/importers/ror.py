"""Import of the ROR offer (FHIR R4, ANS guide « ROR »): HealthcareService → Unite of its FINESS structure.

Two passes over the files (in any order): Organizations (→ FINESS) and Locations (→ capacity, free places and
their update time) are read first, then the HealthcareServices are written batch by batch. A unit is keyed by
(structure, "ror-<HealthcareService id>"): a re-import updates it in place. Its description comes from the ANS
nomenclatures (`ror_codes`); a more recent référent's edit is kept (the page says who described the unit and
when), and free places go through `services.apply_free_places` (the newest declaration wins). Unknown codes are
counted and reported; a malformed resource is a French reason with its file and line; nothing is dropped silently.
Once a structure has ROR units, the default unit made from its FINESS category is deactivated (unless a référent
described it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from ..annuaire_cache import changes_annuaire
from ..enums import DescriptionSource, PlacesSource
from ..models import Structure, Unite
from ..services import PLACES_FIELDS, FreePlacesError, apply_free_places, check_free_places
from .common import ImportReport, analyze, run_batches
from .finess import DEFAULT_UNIT_CODE
from .ror_codes import count_unknown, map_offer
from .ror_reader import (
    Capacite,
    age_range,
    intervention_zone,
    location_capacity,
    organization_aide_sociale,
    organization_finess,
    parse_datetime,
    read_resources,
    reference_id,
)

DESCRIPTION_FIELDS = ["name", "structure_type", "domain", "mentions_smr", "capabilities", "age_min", "age_max",
                      "capacity", "zone_intervention", "is_active", "description_source",
                      "description_updated_at"]  # fmt: skip


@dataclass
class RorReport(ImportReport):
    unknown: Counter = field(default_factory=Counter)  # (nomenclature, code, label) → offers

    def unknown_lines(self) -> list[str]:
        return [
            f"{system} {code}" + (f" « {label} »" if label else "") + f" : {n} offre(s)"
            for (system, code, label), n in self.unknown.most_common()
        ]


@dataclass
class Offer:
    where: str
    structure_id: int
    code: str
    fields: dict
    capacite: Capacite
    updated_at: object


class Index:
    """Organizations and Locations of the files (pass 1), and the known structures by FINESS."""

    def __init__(self, paths: list[Path], report: RorReport, progress=None):
        self.orgs: dict[str, str] = {}
        self.aide_sociale: set[str] = set()  # FINESS of Organizations « Habilité Aide Sociale »
        self.locations: dict[str, Capacite] = {}
        for path in paths:
            for where, res in read_resources(path):
                report.read += 1
                if progress and report.read % 20_000 == 0:
                    progress(report)  # pass 1 of a national export reads ≈ 190,000 Organizations and Locations
                if isinstance(res, str):
                    report.reject(where, res)
                elif res["resourceType"] == "Organization":
                    self._organization(where, res, report)
                elif res["resourceType"] == "Location":
                    self._location(where, res, report)
                elif res["resourceType"] != "HealthcareService":
                    report.count(f"ressources {res['resourceType']} ignorées")
        finess = set(self.orgs.values())
        if self.aide_sociale:
            habilitees = Structure.objects.filter(finess__in=self.aide_sociale, habilitation_aide_sociale=False)
            report.count("structures habilitées à l’aide sociale", habilitees.update(habilitation_aide_sociale=True))
        self.structures = {
            f: (pk, t)
            for f, pk, t in Structure.objects.filter(finess__in=finess).values_list("finess", "pk", "structure_type")
        }

    def _organization(self, where: str, org: dict, report: RorReport) -> None:
        finess = organization_finess(org)
        if org.get("id") and finess:
            self.orgs[org["id"]] = finess
            if organization_aide_sociale(org):
                self.aide_sociale.add(finess)
        else:
            report.count("Organization sans n° FINESS (entité juridique, cabinet…)")

    def _location(self, where: str, loc: dict, report: RorReport) -> None:
        try:
            self.locations[str(loc.get("id"))] = location_capacity(loc)
        except ValueError as exc:
            report.reject(where, f"Location {loc.get('id')} : {exc}")


def _offer(where: str, hs: dict, index: Index, report: RorReport) -> Offer | str:
    if not hs.get("id"):
        return "HealthcareService sans id"
    org_id = reference_id(hs.get("providedBy"), "Organization")
    if not org_id:
        return f"HealthcareService {hs['id']} sans structure (providedBy)"
    finess = index.orgs.get(org_id)
    if finess is None:
        return f"HealthcareService {hs['id']} : Organization/{org_id} absente des fichiers ou sans n° FINESS"
    if finess not in index.structures:
        return f"HealthcareService {hs['id']} : structure FINESS {finess} absente de l’annuaire (importez FINESS)"
    structure_id, structure_type = index.structures[finess]
    offre = map_offer(hs, structure_type)
    count_unknown(report.unknown, offre)
    if not offre.structure_type:
        report.count("offres hors du champ de Trajectoire")
        return ""
    age_min, age_max = age_range(hs)
    zone, unknown_divisions = intervention_zone(hs)
    report.unknown.update(unknown_divisions)
    capacite = _capacity(hs, index)
    name = (hs.get("name") or "").strip() or offre.structure_type
    fields = {"name": name[:255], "structure_type": offre.structure_type, "domain": offre.domain,
              "mentions_smr": offre.mentions_smr, "capabilities": offre.capabilities, "age_min": age_min,
              "age_max": age_max, "capacity": capacite.installed, "zone_intervention": zone,
              "is_active": hs.get("active", True) is not False}  # fmt: skip
    updated = parse_datetime((hs.get("meta") or {}).get("lastUpdated")) or timezone.now()
    return Offer(where, structure_id, f"ror-{hs['id']}"[:30], fields, capacite, updated)


def _capacity(hs: dict, index: Index) -> Capacite:
    total = Capacite()
    for ref in hs.get("location") or []:
        cap = index.locations.get(reference_id(ref, "Location"))
        if cap is None:
            continue
        if cap.installed is not None:
            total.installed = (total.installed or 0) + cap.installed
        if cap.free is not None:
            total.free = (total.free or 0) + cap.free
            total.updated_at = max(filter(None, (total.updated_at, cap.updated_at)), default=None)
    return total


def _apply(unite: Unite, offer: Offer, report: RorReport) -> None:
    referent_newer = (
        unite.description_source == DescriptionSource.REFERENT
        and unite.description_updated_at
        and unite.description_updated_at > offer.updated_at
    )
    if referent_newer:
        report.count("descriptions du référent plus récentes conservées")
    else:
        for name, value in offer.fields.items():
            setattr(unite, name, value)
        unite.description_source, unite.description_updated_at = DescriptionSource.ROR, offer.updated_at
    if offer.capacite.free is None:
        return
    try:
        places = check_free_places(unite, offer.capacite.free, PlacesSource.ROR)
    except FreePlacesError as exc:
        report.reject(offer.where, f"places disponibles ignorées : {exc}")
        return
    if not apply_free_places(unite, places, source=PlacesSource.ROR, at=offer.capacite.updated_at or offer.updated_at):
        report.count("places plus récentes conservées")


def _write(chunk: list[Offer], report: RorReport) -> int:
    structure_ids = {o.structure_id for o in chunk}
    existing = {
        (u.structure_id, u.code): u
        for u in Unite.objects.filter(structure_id__in=structure_ids, code__in=[o.code for o in chunk])
    }
    units = []
    for offer in {(o.structure_id, o.code): o for o in chunk}.values():
        unite = existing.get((offer.structure_id, offer.code)) or Unite(
            structure_id=offer.structure_id, code=offer.code
        )
        _apply(unite, offer, report)
        units.append(unite)
    # One upsert for new and known units (a bulk_update of 2,000 rows × 14 columns is 20 times slower).
    Unite.objects.bulk_create(
        units,
        update_conflicts=True,
        unique_fields=["structure", "code"],
        update_fields=DESCRIPTION_FIELDS + PLACES_FIELDS,
    )
    replaced = (
        Unite.objects.filter(structure_id__in=structure_ids, code=DEFAULT_UNIT_CODE, is_active=True)
        .exclude(description_source=DescriptionSource.REFERENT)
        .update(is_active=False)
    )
    report.count("unités créées", len(units) - len(existing))
    report.count("unités mises à jour", len(existing))
    report.count("unités FINESS par défaut remplacées", replaced)
    return len(units)


@changes_annuaire
def import_ror(paths: list[Path | str], progress=None) -> RorReport:
    paths = [Path(p) for p in paths]
    report = RorReport(source=", ".join(p.name for p in paths))
    index = Index(paths, report, progress)

    def offers():
        for path in paths:
            for where, res in read_resources(path):
                if isinstance(res, str) or res["resourceType"] != "HealthcareService":
                    continue
                offer = _offer(where, res, index, report)
                if isinstance(offer, Offer):
                    yield offer
                elif offer:
                    report.reject(where, offer)

    run_batches(offers(), lambda chunk: _write(chunk, report), report, progress)
    analyze(Unite._meta.db_table)
    return report
