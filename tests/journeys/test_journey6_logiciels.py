"""Journey 6: the référent registers the EHPAD's software for the FHIR API, reads its secret once, revokes it."""

import pytest

from tests.factories.accounts import MembershipFactory
from tests.factories.directory import StructureFactory
from trajectoire.api.models import ApiClient

pytestmark = [pytest.mark.browser]


def test_referent_registers_and_revokes_a_software(journey):
    from tests.support.browser import Actor

    j = journey("6-logiciels-connectes")
    ehpad = StructureFactory(name="EHPAD Les Tilleuls")
    referent = MembershipFactory(structure=ehpad, referent=True, user__first_name="Nadia", user__last_name="Roux")
    page = j.new_page()
    me = Actor(page)
    j.login_as(page, referent.user)

    page.goto(j.url("/tableau-de-bord/"))
    me.click(page.get_by_role("link", name="Gérer les logiciels de EHPAD Les Tilleuls"))
    page.get_by_role("heading", name="Logiciels connectés à l’API", level=1).wait_for()
    j.step(page, "logiciels connectes")
    me.fill(page.get_by_label("Nom du logiciel"), "Logiciel de soins")
    me.click(page.get_by_role("button", name="Enregistrer le logiciel"))
    page.get_by_text("Le secret ne sera plus affiché").wait_for()
    j.step(page, "secret affiche une fois")
    software = ApiClient.objects.get(structure=ehpad)
    assert software.client_id in page.content()

    me.click(page.get_by_role("button", name="Révoquer Logiciel de soins"))
    page.get_by_text("n’a plus accès à l’API").wait_for()
    j.step(page, "logiciel revoque")
    software.refresh_from_db()
    assert not software.is_active
