"""The pages of the benchmark workload run a number of queries that does not grow with the data shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import DemandeFactory, ReadyDossierFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.demandes.models import DemandeEvent

pytestmark = pytest.mark.django_db
N = 4


def queries(client, url: str) -> int:
    client.get(url)  # warm-up: session "last seen" write, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_dossier(doctor, units, **extra):
    """A sent dossier with one demande per unit and a timeline event each."""
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor, **extra)
    for unite in units:
        demande = DemandeFactory(dossier=dossier, unite=unite)
        DemandeEvent.objects.create(
            demande=demande, dossier=dossier, at=demande.sent_at, actor=doctor, action="envoyer",
            label="Demande envoyée", to_statut=demande.statut,
        )  # fmt: skip
    return dossier


@pytest.fixture
def doctor():
    return UserFactory(medecin=True)


@pytest.fixture
def units():
    return [UniteFactory(structure=StructureFactory()) for _ in range(N)]


@pytest.mark.parametrize("page", ["/tableau-de-bord/", "/demandes/", "dossier", "envoyer", "/healthz/moi"])
def test_doctor_pages(client, doctor, units, page, django_assert_max_num_queries):
    first = add_dossier(doctor, units[:1])
    url = {"dossier": f"/dossiers/{first.pk}/", "envoyer": f"/demandes/dossier/{first.pk}/envoyer/"}.get(page, page)
    client.force_login(doctor)
    with_one = queries(client, url)
    for _ in range(N):
        add_dossier(doctor, units)
    for unite in units:  # the opened dossier, too, now has many demandes and events
        if unite != units[0]:
            add_dossier(doctor, [])  # more drafts
    DemandeFactory(dossier=first, unite=units[1])
    client.get(url)
    with django_assert_max_num_queries(with_one):
        response = client.get(url)
    assert response.status_code == 200
    assert with_one <= 25, f"{page}: {with_one} queries"


@pytest.mark.parametrize("page", ["/tableau-de-bord/", "/demandes/recues/"])
def test_structure_pages(client, doctor, units, page, django_assert_max_num_queries):
    staff = MembershipFactory(structure=units[0].structure, admissions=True, medical=True).user
    add_dossier(doctor, units[:1])
    client.force_login(staff)
    with_one = queries(client, page)
    for _ in range(N):
        add_dossier(UserFactory(medecin=True), units[:2])
    client.get(page)
    with django_assert_max_num_queries(with_one):
        response = client.get(page)
    assert response.status_code == 200
    assert with_one <= 25, f"{page}: {with_one} queries"


def test_baseline_is_one_authenticated_lookup(client, doctor, django_assert_max_num_queries):
    assert client.get("/healthz/moi").status_code == 302  # anonymous: to the login page
    client.force_login(doctor)
    client.get("/healthz/moi")
    with django_assert_max_num_queries(2):  # session, user
        response = client.get("/healthz/moi")
    assert response.content.decode() == doctor.get_full_name()
