"""Demo data of the annuaire: real communes, FINESS structures of Auvergne-Rhône-Alpes, CNSA prices, and
units with capabilities and free places for the demo journeys (SMR locomoteur near Lyon, EHPAD near Lyon and
Bourg-en-Bresse, a PCO in the Rhône, a hospital for the prescripteur), and three SMRs described by a ROR import
(`demo_ror`). Idempotent; imports are skipped when
the data is already there.
"""

from __future__ import annotations

import os

from django.utils import timezone

from . import demo_annuaire, demo_ror
from .enums import DescriptionSource, Domain, MentionSMR, PlacesSource, StructureType
from .geo import haversine_km
from .importers.communes import import_communes
from .importers.finess import import_finess
from .importers.prix import import_prix_ehpad
from .models import Commune, PrixEhpad, Structure, Unite
from .reference_data import data_dir, ensure_reference_data

REGION = {"01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"}  # Auvergne-Rhône-Alpes
LYON = (45.7640, 4.8357)
BOURG = (46.2052, 5.2460)


def _import_reference_data(ctx) -> None:
    need_communes = Commune.objects.count() < 30_000
    need_region = not Structure.objects.filter(departement="69").exists()
    if need_communes or need_region:
        ensure_reference_data()
    if need_communes:
        ctx.say("Annuaire : " + import_communes().summary())
    france = os.environ.get("TRAJECTOIRE_DEMO_FRANCE") == "1"
    if need_region or (france and Structure.objects.count() < 90_000):
        paths = sorted((data_dir() / "finess").glob("etab*.tar.gz"))
        imported, seconds = 0, 0.0
        for path in paths:
            report = import_finess(path, departements=None if france else REGION)
            imported, seconds = imported + report.imported, seconds + report.seconds
        ctx.say(f"Annuaire : {imported} établissements FINESS importés en {seconds:.0f} s")
    if PrixEhpad.objects.count() < 6_000:
        ctx.say("Annuaire : " + import_prix_ehpad().summary())
    if Structure.objects.count() < 90_000:
        ctx.say(
            "Annuaire : seule la région Auvergne-Rhône-Alpes est chargée. Pour toute la France (≈ 30 s) : "
            "uv run python manage.py import_finess"
        )


def _near(queryset, point, count: int, max_km: float = 40) -> list[Structure]:
    """The `count` structures of the queryset closest to `point` (deterministic)."""
    candidates = list(queryset.exclude(latitude=None).exclude(name__icontains="SIEGE").order_by("finess"))
    candidates = [s for s in candidates if haversine_km(*point, s.latitude, s.longitude) <= max_km]
    candidates.sort(key=lambda s: (haversine_km(*point, s.latitude, s.longitude), s.finess))
    return candidates[:count]


def _unit(structure: Structure, code: str, **fields) -> Unite:
    fields.setdefault("free_places_declared_at", timezone.now())
    fields.setdefault("free_places_source", PlacesSource.REFERENT if fields.get("free_places") is not None else "")
    fields.setdefault("description_source", DescriptionSource.REFERENT)  # as a référent would have described it
    fields.setdefault("description_updated_at", timezone.now())
    unit, _ = Unite.objects.update_or_create(structure=structure, code=code, defaults=fields)
    return unit


def _smr(ctx) -> list[Structure]:
    smrs = _near(Structure.objects.filter(structure_type=StructureType.SMR, departement="69"), LYON, 3)
    for i, structure in enumerate(smrs):
        _unit(structure, "principale", name="SMR locomoteur", structure_type=StructureType.SMR,
              domain=Domain.SANITAIRE, mentions_smr=[MentionSMR.LOCOMOTEUR, MentionSMR.POLYVALENT],
              capabilities=["kinesitherapie", "ergotherapie", "reeducation_intensive", "pansements_complexes",
                            "leve_malade"] + (["oxygenotherapie"] if i == 0 else []),
              age_min=18, capacity=40, free_places=[3, 0, 1][i])  # fmt: skip
    return smrs


def _ehpads(ctx) -> Structure:
    priced = set(PrixEhpad.objects.values_list("finess", flat=True))
    qs = Structure.objects.filter(structure_type=StructureType.EHPAD, finess__in=priced)
    chosen = _near(qs.filter(departement="69"), LYON, 4, 20) + _near(qs.filter(departement="01"), BOURG, 3, 20)
    for i, structure in enumerate(chosen):
        _unit(structure, "principale", name="Hébergement permanent", structure_type=StructureType.EHPAD,
              domain=Domain.GRAND_AGE, capabilities=["troubles_cognitifs", "hebergement_temporaire"] if i % 2 else [],
              age_min=60, capacity=80, free_places=[2, 0, 1, 4, 1, 0, 3][i])  # fmt: skip
    _unit(chosen[0], "demo-alzheimer", name="Unité protégée Alzheimer", structure_type=StructureType.EHPAD,
          domain=Domain.GRAND_AGE, capabilities=["troubles_cognitifs", "troubles_comportement", "risque_fugue"],
          age_min=60, capacity=14, free_places=1)  # fmt: skip
    return chosen[0]


def _pco(ctx) -> Structure:
    camsp = _near(Structure.objects.filter(structure_type=StructureType.CAMSP, departement="69"), LYON, 1)[0]
    _unit(camsp, "pco", name="Plateforme de coordination et d’orientation TND du Rhône",
          structure_type=StructureType.PCO, domain=Domain.TND, age_min=0, age_max=12, free_places=None)  # fmt: skip
    return camsp


def _hopital(ctx) -> Structure:
    qs = Structure.objects.filter(structure_type=StructureType.HOPITAL, departement="69", name__istartswith="HOPITAL")
    hopital = _near(qs, LYON, 1) or _near(Structure.objects.filter(structure_type=StructureType.HOPITAL), LYON, 1)
    hopital = hopital[0]
    _unit(hopital, "demo-smr", name="SMR locomoteur (service de l’hôpital)", structure_type=StructureType.SMR,
          domain=Domain.SANITAIRE, mentions_smr=[MentionSMR.LOCOMOTEUR, MentionSMR.SYSTEME_NERVEUX],
          capabilities=["kinesitherapie", "orthophonie", "reeducation_intensive", "oxygenotherapie",
                        "perfusion_iv"], age_min=16, capacity=30, free_places=2)  # fmt: skip
    return hopital


def load(ctx) -> None:
    _import_reference_data(ctx)
    smrs = _smr(ctx)
    structures = {"smr": smrs[0], "smr2": smrs[1], "ehpad": _ehpads(ctx), "pco": _pco(ctx), "hopital": _hopital(ctx)}
    ror = demo_ror.load(ctx, lambda qs, count: _near(qs, LYON, count))
    demo_annuaire.load(ctx)
    if ror:
        structures["smr_ror"] = ror[0]
    ctx.data["structures"] = structures
    names = ", ".join(f"{key} : {s.name} ({s.finess})" for key, s in structures.items())
    ctx.say(f"Annuaire : structures de démonstration — {names}")
