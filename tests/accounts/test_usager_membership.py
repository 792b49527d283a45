"""A usager (family space) never acts for a structure: a membership row does not give them its dossiers."""

import pytest

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import DemandeFactory
from trajectoire.accounts.admin import MembershipAdminForm
from trajectoire.accounts.permissions import active_memberships, structure_ids_for
from trajectoire.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_a_membership_row_of_a_usager_gives_no_structure_and_no_received_dossier():
    demande = DemandeFactory()
    usager = UserFactory(usager=True)
    MembershipFactory(user=usager, structure=demande.structure, admissions=True)  # written past the forms
    staff = MembershipFactory(structure=demande.structure, admissions=True).user
    assert active_memberships(usager) == [] and structure_ids_for(usager) == []
    assert not Dossier.objects.visible_to(usager).filter(pk=demande.dossier_id).exists()
    assert Dossier.objects.visible_to(staff).filter(pk=demande.dossier_id).exists()  # the structure's staff do


def test_the_administration_refuses_to_attach_a_usager():
    usager, structure = UserFactory(usager=True), MembershipFactory().structure
    form = MembershipAdminForm(data={"user": usager.pk, "structure": structure.pk, "is_admissions": "on"})
    assert not form.is_valid()
    assert "compte particulier" in str(form.errors)
