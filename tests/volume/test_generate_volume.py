"""`generate_volume` fills a database with consistent national-like data (small scale here, both databases)."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q

from tests.factories.directory import CommuneFactory, StructureFactory, UniteFactory
from trajectoire.accounts.models import Membership, User
from trajectoire.accounts.validators import is_valid_rpps
from trajectoire.demandes.enums import ADMISSION_STATUTS, MOTIFS_REFUS, Statut
from trajectoire.demandes.models import Demande, DemandeEvent
from trajectoire.directory.enums import Domain, StructureType
from trajectoire.dossiers.enums import Statut as DossierStatut
from trajectoire.dossiers.models import Dossier
from trajectoire.patients.models import Patient

pytestmark = pytest.mark.django_db

KINDS = [
    (StructureType.EHPAD, Domain.GRAND_AGE, 4),
    (StructureType.USLD, Domain.GRAND_AGE, 1),
    (StructureType.SMR, Domain.SANITAIRE, 4),
    (StructureType.HAD, Domain.SANITAIRE, 1),
    (StructureType.PCO, Domain.TND, 2),
]


@pytest.fixture
def directory():
    CommuneFactory(insee="01053", name="Bourg-en-Bresse", departement="01")
    CommuneFactory(insee="69381", name="Lyon 1er Arrondissement", departement="69")
    for structure_type, domain, count in KINDS:
        for _ in range(count):
            structure = StructureFactory(structure_type=structure_type, domain=domain)
            UniteFactory(structure=structure, code="principale")


@pytest.fixture
def generated(directory):
    call_command("generate_volume", scale=0.001, seed=3, skip_import=True, verbosity=0)


def test_generated_volume_is_consistent(generated):
    assert User.objects.count() == 100
    assert Patient.objects.count() == 1000
    dossiers, demandes = Dossier.objects.count(), Demande.objects.count()
    assert 1350 <= dossiers <= 1650  # 1.5 per patient
    assert 2700 <= demandes <= 4500  # ≈ 4 M per 1.5 M dossiers (fewer here: only 12 units to choose from)
    assert (
        Demande.objects.filter(statut=Statut.REFUSEE).exists() and Demande.objects.filter(statut=Statut.ADMIS).exists()
    )
    # Professionals: valid (fictitious) RPPS numbers; structure staff work for a structure.
    rpps = list(User.objects.exclude(rpps=None).values_list("rpps", flat=True))
    assert rpps and all(is_valid_rpps(number) for number in rpps)
    assert Membership.objects.count() == 40
    assert Membership.objects.filter(is_referent=True).count() == 12  # one per structure
    # Demandes respect the workflow and the constraints.
    assert not Dossier.objects.annotate(
        admissions=Count("demandes", filter=Q(demandes__statut__in=ADMISSION_STATUTS))
    ).filter(admissions__gt=1)
    assert not Demande.objects.values("dossier", "unite").annotate(n=Count("id")).filter(n__gt=1)
    # Each demande's timeline starts with the sending and ends on its current status.
    last_events = DemandeEvent.objects.values("demande").annotate(last=Max("id")).values("last")
    ends = dict(DemandeEvent.objects.filter(id__in=last_events).values_list("demande_id", "to_statut"))
    assert ends == dict(Demande.objects.values_list("id", "statut"))
    assert DemandeEvent.objects.filter(action="envoyer").count() == Demande.objects.count()
    # Demandes go to a unit of the dossier's domain; a sent dossier was complete.
    assert not Demande.objects.exclude(unite__domain=F("dossier__domain")).exists()
    sent = Dossier.objects.filter(demandes__isnull=False).distinct().prefetch_related("sections")[:50]
    assert all(dossier.is_ready_to_send() for dossier in sent)
    assert not Dossier.objects.filter(statut=DossierStatut.BROUILLON, demandes__isnull=False)
    # Refusals use a motif their domain offers (a PCO has no admission date to miss).
    for domain, motifs in MOTIFS_REFUS.items():
        refused = Demande.objects.filter(statut=Statut.REFUSEE, dossier__domain=domain)
        assert refused.exists() and not refused.exclude(motif_refus__in=motifs).exists(), domain


def test_indexes_and_foreign_keys_are_rebuilt_after_a_bulk_load():
    """The large-scale path drops secondary indexes and foreign keys during the load: all come back."""
    from django.db import connection

    from trajectoire.volume.tables import deferred_indexes

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (SQLite loads with its indexes in place)")

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename IN ('demandes_demande', 'demandes_demandeevent') "
                "UNION ALL SELECT conname || ' ' || contype::text FROM pg_constraint "
                "WHERE conrelid::regclass::text IN ('demandes_demande', 'demandes_demandeevent')"
            )
            return sorted(row[0] for row in cursor.fetchall())

    before = schema()
    with deferred_indexes([Demande, DemandeEvent], log=lambda message: None):
        during = schema()
    assert len(during) < len(before)
    assert schema() == before
    assert "demandes_one_admission_per_dossier" in before  # partial unique indexes come back too
