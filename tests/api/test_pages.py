"""The référent registers, sees and revokes the structure's software; nobody else reaches that page."""

import re

import pytest

from tests.factories.accounts import MembershipFactory
from tests.factories.directory import StructureFactory
from trajectoire.api.models import ApiClient

from .conftest import get_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def referent(ehpad):
    return MembershipFactory(structure=ehpad, referent=True).user


def test_referent_registers_then_revokes_a_software(client, referent, ehpad):
    client.force_login(referent)
    dashboard = client.get("/tableau-de-bord/")
    assert f"/logiciels/structure/{ehpad.pk}/" in dashboard.content.decode()
    page = client.post(f"/logiciels/structure/{ehpad.pk}/", {"name": "Logiciel de soins"})
    html = page.content.decode()
    assert "Le secret ne sera plus affiché" in html
    client_id = re.search(r"Identifiant client : <code>([^<]+)</code>", html)[1]
    secret = re.search(r"Secret : <code>([^<]+)</code>", html)[1]
    assert get_token(client_id, secret)["access_token"]
    software = ApiClient.objects.get(client_id=client_id)
    assert software.structure == ehpad and software.created_by == referent
    assert secret not in client.get(f"/logiciels/structure/{ehpad.pk}/").content.decode()
    client.post(f"/logiciels/structure/{ehpad.pk}/{software.pk}/revoquer/")
    software.refresh_from_db()
    assert not software.is_active


def test_invalid_jwks_is_explained(client, referent, ehpad):
    client.force_login(referent)
    page = client.post(f"/logiciels/structure/{ehpad.pk}/", {"name": "X", "jwks": "{pas du json"})
    assert "Le JWKS n’est pas un JSON valide." in page.content.decode()
    assert not ApiClient.objects.exists()


def test_another_structures_referent_gets_404(client, ehpad, structure_software):
    software, _ = structure_software
    other = MembershipFactory(structure=StructureFactory(), referent=True).user
    admissions = MembershipFactory(structure=ehpad, admissions=True).user
    for user in (other, admissions):
        client.force_login(user)
        assert client.get(f"/logiciels/structure/{ehpad.pk}/").status_code == 404
        assert client.post(f"/logiciels/structure/{ehpad.pk}/{software.pk}/revoquer/").status_code == 404
    software.refresh_from_db()
    assert software.is_active
