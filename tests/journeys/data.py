"""What the journeys start from, built with the test factories (a few rows; the demo loaders import the
whole region's directory, too slow for a test)."""

from __future__ import annotations

import datetime as dt

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.directory import CommuneFactory, StructureFactory, UniteFactory
from tests.factories.patients import PatientFactory
from trajectoire.directory.enums import Domain, StructureType

LYON = {"latitude": 45.7640, "longitude": 4.8357}


def lyon():
    return CommuneFactory(insee="69382", name="Lyon 2e Arrondissement", postal_codes="69002", departement="69", **LYON)


def doctor(**fields):
    fields = {"first_name": "Marie", "last_name": "Martin", "email": "dr.martin@cabinet.test", **fields}
    return UserFactory(strong_auth=True, medecin=True, **fields)


def patient(created_by, **fields):
    fields = {"nom_naissance": "DUPONT", "prenoms": "Jeanne", "commune": lyon(), **fields}
    return PatientFactory(created_by=created_by, **fields)


def smr_units() -> list:
    """Three SMR with a locomoteur unit near Lyon, and one without the mention (excluded, with its reason)."""
    units = []
    for i, (name, km_north) in enumerate(
        [("SMR Les Lilas", 0.02), ("SMR Val de Saône", 0.08), ("SMR Fourvière", 0.12)]
    ):
        structure = StructureFactory(
            name=name, structure_type=StructureType.SMR, domain=Domain.SANITAIRE, category_code="109",
            departement="69", city="Lyon", postal_code="69005",
            latitude=LYON["latitude"] + km_north, longitude=LYON["longitude"],
        )  # fmt: skip
        units.append(
            UniteFactory(
                structure=structure,
                name=f"Rééducation locomotrice {name[4:]}",
                structure_type=StructureType.SMR,
                domain=Domain.SANITAIRE,
                mentions_smr=["ME051", "ME050"],
                age_min=18,
                capabilities=["pansements_complexes", "kinesitherapie"],
                free_places=3 - i,
            )
        )
    other = StructureFactory(
        name="SMR Cardiologie Bellecour", structure_type=StructureType.SMR, domain=Domain.SANITAIRE,
        category_code="109", departement="69", latitude=LYON["latitude"], longitude=LYON["longitude"] + 0.05,
    )  # fmt: skip
    UniteFactory(
        structure=other, name="Cardiologie", structure_type=StructureType.SMR, domain=Domain.SANITAIRE,
        mentions_smr=["ME053"], capabilities=["pansements_complexes"],
    )  # fmt: skip
    return units


def structure_user(structures, **fields):
    """An admissions member (with medical habilitation) of each given structure."""
    fields = {"first_name": "Julie", "last_name": "Moreau", "email": "admissions@smr.test", **fields}
    user = UserFactory(strong_auth=True, **fields)
    for structure in structures:
        MembershipFactory(user=user, structure=structure, admissions=True, medical=True)
    return user


def in_days(days: int) -> dt.date:
    return dt.date.today() + dt.timedelta(days=days)


def ehpads() -> list:
    """Two EHPAD near Lyon with CNSA prices (70 €/day, GIR 5-6 tariff 5.50 € → 2 296 € a month)."""
    from tests.factories.directory import PrixEhpadFactory

    units = []
    for i, name in enumerate(["EHPAD Les Tilleuls", "EHPAD Le Parc"]):
        structure = StructureFactory(
            name=name, departement="69", city="Lyon", postal_code="69003",
            latitude=LYON["latitude"] + 0.03 * (i + 1), longitude=LYON["longitude"],
        )  # fmt: skip
        PrixEhpadFactory(finess=structure.finess)
        units.append(UniteFactory(structure=structure, name="Hébergement permanent", age_min=60, free_places=2 - i))
    return units


def pcos() -> list:
    """The PCO TND of the Rhône (Lyon) and the one of the Ain (Bourg-en-Bresse, 60 km)."""
    units = []
    for name, dep, lat, lon in [
        ("CAMSP Lyon — PCO du Rhône", "69", 45.75, 4.85),
        ("CAMSP Bourg — PCO de l’Ain", "01", 46.2, 5.22),
    ]:
        structure = StructureFactory(
            name=name, structure_type=StructureType.CAMSP, domain=Domain.TND, category_code="190",
            departement=dep, latitude=lat, longitude=lon,
        )  # fmt: skip
        units.append(
            UniteFactory(
                structure=structure,
                name=f"Plateforme de coordination et d’orientation TND ({dep})",
                structure_type=StructureType.PCO,
                domain=Domain.TND,
                age_min=0,
                age_max=12,
                free_places=None,
            )
        )
    return units
