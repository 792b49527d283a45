import pytest

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import ReadyDossierFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.directory.enums import Domain, StructureType


@pytest.fixture
def doctor():
    return UserFactory(medecin=True, first_name="Marie", last_name="Martin")


@pytest.fixture
def smr_units():
    """Three SMR locomoteur units in three structures."""
    units = []
    for i in range(3):
        structure = StructureFactory(
            name=f"SMR {i}", structure_type=StructureType.SMR, domain=Domain.SANITAIRE, category_code="109"
        )
        units.append(UniteFactory(structure=structure, name=f"Locomoteur {i}", mentions_smr=["ME051"]))
    return units


@pytest.fixture
def staff(smr_units):
    """One admissions member per SMR structure."""
    return [MembershipFactory(structure=u.structure, admissions=True).user for u in smr_units]


@pytest.fixture
def dossier(doctor):
    return ReadyDossierFactory(sanitaire=True, created_by=doctor, medecin=doctor, patient__created_by=doctor)
