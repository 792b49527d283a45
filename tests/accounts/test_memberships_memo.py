"""A user's active memberships are read once per request and answer every permission helper of that request
(accounts.permissions.active_memberships); outside a request, or after a write to a membership, they are read
again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.directory import StructureFactory
from trajectoire.accounts.enums import Role
from trajectoire.accounts.permissions import active_memberships, has_role, structures_for
from trajectoire.core.request_context import close_request_memo, open_request_memo, request_memo

pytestmark = pytest.mark.django_db


def _membership_queries(captured) -> int:
    return sum('FROM "accounts_membership"' in q["sql"] for q in captured.captured_queries)


def test_a_page_reads_the_memberships_once(client):
    member = MembershipFactory(admissions=True, referent=True)
    client.force_login(member.user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/tableau-de-bord/").status_code == 200  # header, panels, permission helpers
    assert _membership_queries(captured) == 1
    assert request_memo() is None  # closed with the request


def test_outside_a_request_every_call_reads_the_database():
    user = UserFactory()
    assert active_memberships(user) == []
    structure = StructureFactory()
    MembershipFactory(user=user, structure=structure, admissions=True)
    assert has_role(user, structure, Role.ADMISSIONS)
    assert list(structures_for(user, Role.ADMISSIONS)) == [structure]


def test_a_write_in_the_request_drops_the_memo():
    user = UserFactory()
    structure = StructureFactory()
    token = open_request_memo()
    try:
        assert not has_role(user, structure, Role.ADMISSIONS)  # memoised: no membership
        membership = MembershipFactory(user=user, structure=structure, admissions=True)
        assert has_role(user, structure.pk, Role.ADMISSIONS)  # the save dropped the memo
        membership.is_active = False
        membership.save()
        assert not has_role(user, structure, Role.ADMISSIONS)
        assert list(structures_for(user)) == []
    finally:
        close_request_memo(token)


def test_only_the_users_own_active_memberships_count():
    mine = MembershipFactory(medical=True)
    MembershipFactory(structure=mine.structure, admissions=True)  # a colleague's habilitation is not mine
    MembershipFactory(user=mine.user, admissions=True, is_active=False)  # an inactive membership gives nothing
    token = open_request_memo()
    try:
        assert [m.structure_id for m in active_memberships(mine.user)] == [mine.structure_id]
        assert has_role(mine.user, mine.structure, Role.MEDICAL)
        assert not has_role(mine.user, mine.structure, Role.ADMISSIONS)
        mine.user.is_active = False
        assert active_memberships(mine.user) == []  # a deactivated account acts for nobody
    finally:
        close_request_memo(token)
