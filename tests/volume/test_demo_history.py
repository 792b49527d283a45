"""The observatoire's demo history: past demandes in the Ain and the Rhône, never to a demo account's structure."""

from io import StringIO

import pytest

from tests.factories.accounts import MembershipFactory
from tests.factories.directory import CommuneFactory, StructureFactory, UniteFactory
from trajectoire.accounts.models import User
from trajectoire.core.demo_registry import DemoContext
from trajectoire.demandes.models import Demande
from trajectoire.dossiers.models import Dossier
from trajectoire.observatoire.services import Filtre, statistiques
from trajectoire.volume import demo

pytestmark = pytest.mark.django_db


def test_history_goes_to_structures_without_demo_accounts_and_runs_once():
    CommuneFactory(insee="69381", name="Lyon 1er", departement="69")
    CommuneFactory(insee="01053", name="Bourg-en-Bresse", departement="01")
    demo_ehpad = UniteFactory(structure=StructureFactory(departement="69"))
    MembershipFactory(structure=demo_ehpad.structure, admissions=True)  # a demo account's structure
    others = [UniteFactory(structure=StructureFactory(departement=dep)) for dep in ("69", "69", "69", "01", "01")]
    paris = UniteFactory(structure=StructureFactory(departement="75"))

    demo.load(DemoContext(stdout=StringIO()))
    prescriber = User.objects.get(username=demo.PRESCRIBER)
    assert not prescriber.is_active and not prescriber.has_usable_password()
    demandes = Demande.objects.filter(sent_by=prescriber)
    assert demandes.count() > 100
    assert set(demandes.values_list("unite_id", flat=True)) <= {u.pk for u in others}
    assert not Demande.objects.filter(unite__in=[demo_ehpad, paris]).exists()
    assert Dossier.objects.filter(created_by=prescriber, numero__isnull=True).count() == 0
    stats = statistiques(Filtre(departements=["01", "69"]))
    assert stats.ensemble.total > 50 and stats.ensemble.taux_refus is not None
    # Patients live in both départements, and their demandes go to structures of their own.
    assert {line.label for line in stats.par_departement} == {"Département 01", "Département 69"}
    assert all(line.total > 10 for line in stats.par_departement)

    count = Demande.objects.count()
    demo.load(DemoContext(stdout=StringIO()))
    assert Demande.objects.count() == count  # idempotent
