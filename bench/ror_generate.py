"""A France-sized ROR bulk export (≈ 100,000 HealthcareService) made from the FINESS structures of a database,
for timing `manage.py import_ror` (docs/performance.md).

    DATABASE_URL=… uv run python bench/ror_generate.py --out var/ror-bench    # writes 3 .ndjson.gz files
    DATABASE_URL=… uv run python manage.py import_ror var/ror-bench/*.ndjson.gz

One Organization (the FINESS number as identifier) and one Location (capacity: installed and available beds,
dated) per structure; one HealthcareService per structure plus a second one for one structure in `--extra` (day
care, palliative care…), coded with the ANS nomenclatures the import maps, and a few codes it does not (to show
the counting). Deterministic (seeded).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Structure type → (champ d'activité TRE_R227, modes de prise en charge TRE_R213, activités TRE_R211)
OFFERS = {
    "ehpad": ("04", ["46"], []), "ehpa": ("04", ["46"], []), "residence_autonomie": ("04", ["46"], []),
    "usld": ("01", ["28"], ["170"]), "smr": ("02", ["28"], []), "had": ("01", ["31"], ["170"]),
    "usp": ("01", ["28"], ["170"]), "ssiad": ("04", ["49"], []), "spasad": ("04", ["49"], []),
    "pco": ("04", ["58"], []), "camsp": ("04", ["54"], []), "cmpp": ("04", ["32"], []), "sessad": ("04", ["49"], []),
    "hopital": ("01", ["28"], ["013", "022"]), "": ("01", ["32"], ["139"]),
}  # fmt: skip
MENTIONS = ["ME050", "ME051", "ME052", "ME053", "ME054", "ME059"]


def resources(finess: str, structure_type: str, rng: random.Random, extra: bool):
    from trajectoire.directory.demo_ror import capacity, coding

    installed = rng.randint(10, 120)
    when = f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(6, 20):02d}:00:00Z"
    org = {"resourceType": "Organization", "id": f"o{finess}", "name": f"Structure {finess}",
           "identifier": [{"system": "https://finess.esante.gouv.fr", "value": finess}]}  # fmt: skip
    loc = {"resourceType": "Location", "id": f"l{finess}",
           "managingOrganization": {"reference": f"Organization/o{finess}"},
           "extension": [capacity("01", installed, when), capacity("02", rng.randint(0, 5), when)]}  # fmt: skip
    champ, modes, activites = OFFERS.get(structure_type, OFFERS[""])
    services = [(f"{finess}-1", champ, modes, activites)]
    if extra:
        services.append((f"{finess}-2", champ, ["47"] if champ == "04" else ["29"], ["170"]))
    hss = []
    for hs_id, champ, modes, activites in services:
        hs = {"resourceType": "HealthcareService", "id": hs_id, "meta": {"lastUpdated": when},
              "name": f"Offre {hs_id}", "providedBy": {"reference": f"Organization/o{finess}"},
              "location": [{"reference": f"Location/l{finess}"}],
              "type": [coding("TRE_R227-ChampActivite", champ)],
              "specialty": [coding("TRE_R211-ActiviteOperationnelle", a) for a in activites],
              "characteristic": [coding("TRE_R213-ModePriseEnCharge", m) for m in modes]}  # fmt: skip
        if champ == "02":
            hs["specialty"].append(coding("TRE_R383-MentionActDeSoinAmm", rng.choice(MENTIONS)))
        hss.append(hs)
    return org, loc, hss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "ror-bench"))
    parser.add_argument("--extra", type=float, default=0.05, help="share of structures with a second offer")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from trajectoire.directory.models import Structure

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(18)
    counts = {"Organization": 0, "Location": 0, "HealthcareService": 0}
    names = {kind: out / f"{kind}.ndjson.gz" for kind in counts}
    handles = {kind: gzip.open(path, "wt", encoding="utf-8", compresslevel=1) for kind, path in names.items()}  # noqa: SIM115
    try:
        for finess, structure_type in (
            Structure.objects.order_by("finess").values_list("finess", "structure_type").iterator()
        ):
            org, loc, hss = resources(finess, structure_type, rng, rng.random() < args.extra)
            for kind, items in (("Organization", [org]), ("Location", [loc]), ("HealthcareService", hss)):
                for item in items:
                    handles[kind].write(json.dumps(item, separators=(",", ":")) + "\n")
                    counts[kind] += 1
    finally:
        for handle in handles.values():
            handle.close()
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()), "→", out)


if __name__ == "__main__":
    main()
