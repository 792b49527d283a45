"""AGGIR grids already saved: the cohérence sub-variable key is renamed, and every GIR is recomputed.

Issue 15: the alimentation rule was « any C → C »; the guide gives « AA = A, CC = C, BC = C, CB = C,
autres = B » (AC and CA give B). The GIR is computed from the saved grid each time it is shown, so
recomputing means comparing the old rule with the new one: each dossier whose GIR changes gets a line
in its timeline, and the migration prints how many (a count only, no patient data).
"""

from django.db import migrations
from django.utils import timezone

OLD_KEY, NEW_KEY = "coherence_communication_verbale", "coherence_communication"


def _old_alimentation(values):
    """The rule used before issue 15 (kept here so that this migration never changes meaning)."""
    if values == ("A", "A"):
        return "A"
    return "C" if "C" in values else "B"


def _girs(data):
    """(GIR with the old alimentation rule, GIR with the current rule), or None when the grid is incomplete."""
    from trajectoire.dossiers import aggir

    try:
        variables = aggir.variables_from_grid(data)
    except aggir.AggirError:
        return None
    new = aggir.evaluate(variables).gir
    old_variables = {**variables, "alimentation": _old_alimentation(
        (data.get("alimentation_se_servir"), data.get("alimentation_manger"))
    )}
    return aggir.evaluate(old_variables).gir, new


def recompute(apps, schema_editor):
    Section = apps.get_model("dossiers", "Section")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    changed = 0
    for section in Section.objects.filter(key="aggir").iterator(chunk_size=2000):
        data = dict(section.data or {})
        if OLD_KEY in data:
            data[NEW_KEY] = data.pop(OLD_KEY)
            Section.objects.filter(pk=section.pk).update(data=data)
        girs = _girs(data)
        if girs is None or girs[0] == girs[1]:
            continue
        changed += 1
        DossierEvent.objects.create(
            dossier_id=section.dossier_id,
            at=timezone.now(),
            kind="gir_recalcule",
            is_medical=True,
            message=(
                f"GIR recalculé : {girs[0]} → {girs[1]} (correction de la règle « alimentation » du guide "
                "de remplissage AGGIR : AC et CA donnent B)."
            ),
        )
    print(f"\n  AGGIR : {changed} dossier(s) dont le GIR a changé avec la règle « alimentation » corrigée.")


def rename_back(apps, schema_editor):
    Section = apps.get_model("dossiers", "Section")
    for section in Section.objects.filter(key="aggir", data__has_key=NEW_KEY).iterator():
        data = dict(section.data)
        data[OLD_KEY] = data.pop(NEW_KEY)
        Section.objects.filter(pk=section.pk).update(data=data)
    apps.get_model("dossiers", "DossierEvent").objects.filter(kind="gir_recalcule").delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_i15_dossier_event")]

    operations = [migrations.RunPython(recompute, rename_back)]
