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


def test_family_dossier_page(client, units, django_assert_max_num_queries):
    """The family's dossier page (benchmark mix): same queries with one demande or many."""
    from tests.factories.usagers import FamilyDossierFactory

    dossier = FamilyDossierFactory()
    DemandeFactory(dossier=dossier, unite=units[0])
    client.force_login(dossier.created_by)
    url = f"/usager/dossier/{dossier.pk}/"
    with_one = queries(client, url)
    for unite in units[1:]:
        DemandeFactory(dossier=dossier, unite=unite)
    client.get(url)
    with django_assert_max_num_queries(with_one):
        assert client.get(url).status_code == 200
    assert with_one <= 25


def test_observatoire_and_public_annuaire(client, units, django_assert_max_num_queries):
    """The observatoire's page and a public annuaire search do not grow with the demandes or the results."""
    observatoire = UserFactory(is_observatoire=True, observatoire_departements="01")
    DemandeFactory(unite=units[0])
    annuaire = "/annuaire/?commune=Bourg&insee=&structure_type=ehpad&radius_km=30"
    anonymous = queries(client, annuaire)
    client.force_login(observatoire)
    with_one = queries(client, "/observatoire/")
    for unite in units:
        UniteFactory(structure=StructureFactory())
        for _ in range(N):
            DemandeFactory(unite=unite)
    client.get("/observatoire/")
    with django_assert_max_num_queries(with_one):
        assert client.get("/observatoire/").status_code == 200
    client.logout()
    client.get(annuaire)
    with django_assert_max_num_queries(anonymous):
        assert client.get(annuaire).status_code == 200
    assert with_one <= 25 and anonymous <= 25
