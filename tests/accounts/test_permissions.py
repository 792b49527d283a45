import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.directory import StructureFactory
from trajectoire.accounts.enums import Role
from trajectoire.accounts.permissions import (
    has_role,
    medical_required,
    require_role,
    structure_role_required,
    structures_for,
)

pytestmark = pytest.mark.django_db


def test_a_member_of_structure_a_cannot_act_for_structure_b():
    membership = MembershipFactory(admissions=True)
    other = StructureFactory()
    user = membership.user
    assert has_role(user, membership.structure, Role.ADMISSIONS)
    assert not has_role(user, other, Role.ADMISSIONS)
    with pytest.raises(Http404):
        require_role(user, other, Role.ADMISSIONS)
    assert list(structures_for(user)) == [membership.structure]


def test_roles_are_distinct_habilitations():
    membership = MembershipFactory(admissions=True)
    assert not has_role(membership.user, membership.structure, Role.MEDICAL)
    assert not has_role(membership.user, membership.structure, Role.REFERENT)
    assert list(structures_for(membership.user, Role.MEDICAL)) == []


def test_inactive_membership_or_user_grants_nothing():
    membership = MembershipFactory(referent=True, is_active=False)
    assert not has_role(membership.user, membership.structure, Role.REFERENT)
    active = MembershipFactory(referent=True)
    active.user.is_active = False
    active.user.save()
    assert not has_role(active.user, active.structure, Role.REFERENT)
    assert list(structures_for(active.user)) == []


def test_structure_role_required_decorator_refuses_other_structures():
    membership = MembershipFactory(referent=True)
    other = StructureFactory()

    @structure_role_required(Role.REFERENT)
    def view(request, structure_id):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = membership.user
    assert view(request, structure_id=membership.structure.pk).status_code == 200
    with pytest.raises(Http404):
        view(request, structure_id=other.pk)


def test_medical_required_refuses_non_medical_users(client):
    from django.core.exceptions import PermissionDenied

    @medical_required
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = UserFactory(profession="secretaire")
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = UserFactory(medecin=True)
    assert view(request).status_code == 200


def test_password_login_requires_a_prior_card_or_ecps_login():
    user = UserFactory()
    assert not user.can_use_password_login
    user = UserFactory(strong_auth=True)
    assert user.can_use_password_login
