import pytest

from tests.factories.accounts import UserFactory


@pytest.fixture
def medecin(db):
    return UserFactory(medecin=True)


@pytest.fixture
def medecin_client(client, medecin):
    client.force_login(medecin)
    return client
