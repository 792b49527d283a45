"""The data migration of issue 15: old AGGIR grids are recomputed, the dossiers whose GIR changed say so."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories.dossiers import DossierFactory
from trajectoire.dossiers.models import DossierEvent, Section

migration = importlib.import_module("trajectoire.dossiers.migrations.0003_i15_aggir_recompute")


def _old_grid(**changes):
    """A grid saved before issue 15 (old cohérence key), GIR 5 with the corrected alimentation rule."""
    grid = {
        "coherence_communication_verbale": "A",
        "coherence_comportement": "A",
        "orientation_temps": "A",
        "orientation_espace": "A",
        "toilette_haut": "A",
        "toilette_bas": "A",
        "habillage_haut": "A",
        "habillage_moyen": "A",
        "habillage_bas": "A",
        "alimentation_se_servir": "A",
        "alimentation_manger": "C",
        "elimination_urinaire": "A",
        "elimination_fecale": "A",
        "transferts": "A",
        "deplacements_interieurs": "B",
        "deplacements_exterieurs": "A",
        "communication": "A",
    }
    return grid | changes


@pytest.mark.django_db
def test_recompute_lists_only_the_dossiers_whose_gir_changed(capsys, patient, medecin_client):
    changed, same, incomplete = (DossierFactory(patient=patient) for _ in range(3))
    Section.objects.create(dossier=changed, key="aggir", data=_old_grid(), is_medical=True)
    Section.objects.create(dossier=same, key="aggir", data=_old_grid(alimentation_manger="B"), is_medical=True)
    Section.objects.create(dossier=incomplete, key="aggir", data={"transferts": "A"}, is_medical=True)

    migration.recompute(apps, None)

    assert "AGGIR : 1 dossier(s) dont le GIR a changé" in capsys.readouterr().out
    event = DossierEvent.objects.get()
    assert event.dossier == changed and event.message.startswith("GIR recalculé : 4 → 5")
    data = Section.objects.get(dossier=changed).data
    assert data["coherence_communication"] == "A" and "coherence_communication_verbale" not in data
    page = medecin_client.get(reverse("dossiers:detail", args=[changed.pk]))
    assert "Historique du dossier" in page.text and "GIR recalculé : 4 → 5" in page.text
    assert "GIR 5" in page.text


@pytest.mark.django_db
def test_the_gir_event_is_medical_and_hidden_from_a_non_medical_reader(client, patient):
    from tests.factories.accounts import MembershipFactory
    from trajectoire.accounts.enums import Profession
    from trajectoire.dossiers import access

    dossier = DossierFactory(patient=patient)
    DossierEvent.objects.create(dossier=dossier, kind="gir_recalcule", is_medical=True, message="GIR recalculé : 4 → 5")
    member = MembershipFactory(user__profession=Profession.SECRETAIRE, admissions=True)

    def hook(user):
        from django.db.models import Q

        return Q(pk=dossier.pk) if user.pk == member.user_id else None

    access.register_visibility(hook)
    try:
        client.force_login(member.user)
        page = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    finally:
        access._visibility_hooks.remove(hook)
    assert page.status_code == 200 and "GIR recalculé" not in page.text
