import pytest

from tests.factories.accounts import UserFactory
from tests.factories.patients import PatientFactory


@pytest.fixture
def medecin(db):
    return UserFactory(medecin=True, first_name="Marie", last_name="Martin")


@pytest.fixture
def autre_medecin(db):
    return UserFactory(medecin=True)


@pytest.fixture
def patient(medecin):
    return PatientFactory(created_by=medecin, nom_naissance="DUPONT", prenoms="Jeanne Marie")


@pytest.fixture
def medecin_client(client, medecin):
    client.force_login(medecin)
    return client
