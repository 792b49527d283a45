"""Family-space fixtures: a confirmed family with its dossier, a doctor, and helpers to fill sections."""

import re

import pytest
from django.core.cache import cache
from django.utils.html import strip_tags

from tests.dossiers.helpers import VALID
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.directory import CommuneFactory, PrixEhpadFactory, StructureFactory, UniteFactory
from tests.factories.usagers import FamilleFactory, FamilyDossierFactory
from trajectoire.dossiers import services as dossier_services

PASSWORD = "un-Mot-de-passe-solide-42"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _clean_cache():
    """Lock-out and rate-limit counters live in the shared cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def famille(db):
    return FamilleFactory(first_name="Claire", last_name="Bernard")


@pytest.fixture
def dossier(famille):
    return FamilyDossierFactory(created_by=famille, patient__created_by=famille)


@pytest.fixture
def medecin(db):
    return UserFactory(medecin=True, first_name="Marie", last_name="Martin", exercice_commune="Bourg-en-Bresse")


def mentions_gir(html: str) -> bool:
    """Whether a page shows the GIR to its reader: the word in the text, not inside a random token
    (CSRF tokens and CSP nonces are in attributes and may contain the letters « GIR »)."""
    # « tarif dépendance GIR 5-6 » names the tariff every resident pays (issue 15's price label), not theirs.
    return re.search(r"\bGIR\b(?! 5-6\))", strip_tags(html)) is not None


def three_priced_ehpads():
    """Three EHPAD near Bourg-en-Bresse, each with a price and an admissions member."""
    CommuneFactory(insee="01053", name="Bourg-en-Bresse", postal_codes="01000")
    units = []
    for i in range(3):
        structure = StructureFactory(name=f"EHPAD Les Tilleuls {i}", latitude=46.2 + i / 100)
        PrixEhpadFactory(finess=structure.finess)
        units.append(UniteFactory(structure=structure))
        MembershipFactory(structure=structure, admissions=True)
    return units


def fill(dossier, key, by, **overrides):
    section, _ = dossier_services.validate_section(dossier, key, {**VALID["grand_age"][key], **overrides}, by=by)
    assert section.is_valid, section.errors
    return section


def complete(dossier, famille, medecin):
    """The family fills the administrative part; the doctor the medical part and AGGIR."""
    fill(dossier, "administratif", famille)
    dossier.medecin = medecin
    dossier.save(update_fields=["medecin"])
    fill(dossier, "medical", medecin, antecedents="Zorglubite chronique")
    fill(dossier, "aggir", medecin)
    return dossier


def link_in(message) -> str:
    from tests.support.smtp import Mailbox

    match = LINK.search(Mailbox.text(message))
    assert match, "no link in the e-mail"
    return match.group(0)
