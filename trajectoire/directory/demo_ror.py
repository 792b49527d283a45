"""Demo: units described by the ROR, imported through `import_ror` like a real bulk export (a Bundle written to a
temporary file): three SMRs near Lyon with their mention (TRE_R383), activities (TRE_R211), modes (TRE_R213) and
free places dated 1 day, 3 days and 12 days ago (the last one is out of date: the search shows it as unknown)."""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from .enums import StructureType
from .importers.ror import import_ror
from .models import Structure

NOS = "https://mos.esante.gouv.fr/NOS/"
SD = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"
# (mention TRE_R383, activités TRE_R211, modes TRE_R213, installed, free, days since the free places were updated)
OFFERS = [
    ("ME051", ["170"], ["28"], 42, 2, 1),
    ("ME059", [], ["28", "29"], 30, 4, 3),
    ("ME050", ["003"], ["28"], 25, 5, 12),
]


def coding(table: str, code: str) -> dict:
    """A CodeableConcept of an ANS nomenclature (also used by bench/ror_generate.py)."""
    return {"coding": [{"system": f"{NOS}{table}/FHIR/{table.replace('_', '-')}", "code": code}]}


def capacity(status: str, number: int, when: str) -> dict:
    """A ror-location-supported-capacity extension: TRE_R330 status, current temporality (TRE_R331 01)."""
    return {"url": SD + "ror-location-supported-capacity", "extension": [
        {"url": "nbCapacity", "valueInteger": number},
        {"url": "capacityUpdateDate", "valueDateTime": when},
        {"url": "capacityStatus", "valueCodeableConcept": coding("TRE_R330-TypeStatutCapacite", status)},
        {"url": "temporalityCapacity", "valueCodeableConcept": coding("TRE_R331-TemporaliteCapacite", "01")},
    ]}  # fmt: skip


def _resources(structure: Structure, offer: tuple, now) -> list[dict]:
    mention, activites, modes, installed, free, days = offer
    when = (now - timedelta(days=days)).isoformat()
    key = f"demo-{structure.finess}"
    org = {"resourceType": "Organization", "id": key,
           "identifier": [{"system": "https://finess.esante.gouv.fr", "value": structure.finess}]}  # fmt: skip
    loc = {"resourceType": "Location", "id": key,
           "extension": [capacity("01", installed, when), capacity("02", free, when)]}  # fmt: skip
    hs = {"resourceType": "HealthcareService", "id": key, "meta": {"lastUpdated": when},
          "name": "Hospitalisation complète SMR (décrite dans le ROR)",
          "providedBy": {"reference": f"Organization/{key}"},
          "location": [{"reference": f"Location/{key}"}], "type": [coding("TRE_R227-ChampActivite", "02")],
          "specialty": [coding("TRE_R211-ActiviteOperationnelle", a) for a in activites]
          + [coding("TRE_R383-MentionActDeSoinAmm", mention)],
          "characteristic": [coding("TRE_R213-ModePriseEnCharge", m) for m in modes],
          "extension": [{"url": SD + "ror-healthcareservice-patient-type", "extension": [
              {"url": "ageRange", "valueRange": {"low": {"value": 18, "code": "a"}}}]}]}  # fmt: skip
    return [org, loc, hs]


def load(ctx, near) -> list[Structure]:
    """Import the demo ROR offer of the 4th to 6th SMR closest to Lyon (the first three are the journeys')."""
    smrs = near(Structure.objects.filter(structure_type=StructureType.SMR, departement="69"), 6)[3:]
    now = timezone.now()
    entries = [r for s, offer in zip(smrs, OFFERS, strict=False) for r in _resources(s, offer, now)]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in entries]}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ror-demo.json"
        path.write_text(json.dumps(bundle), encoding="utf-8")
        report = import_ror([path])
    ctx.say("Annuaire : offre ROR de démonstration — " + report.summary())
    return smrs
