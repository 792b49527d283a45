"""What the header says under the user's name (issue 16): the role, and the structure of a member."""

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.directory import StructureFactory


def test_role_summary_per_kind_of_account(db):
    assert UserFactory(usager=True).role_summary == "Espace particuliers"
    assert UserFactory(medecin=True).role_summary == "Médecin"
    assert UserFactory(is_observatoire=True).role_summary == "Observatoire"
    member = MembershipFactory(admissions=True, medical=True, structure=StructureFactory(name="SMR Les Lilas"))
    assert member.user.role_summary == "Admissions, Médical · SMR Les Lilas"
    MembershipFactory(user=member.user, referent=True)
    MembershipFactory(user=member.user, referent=True)
    assert member.user.role_summary == "Admissions, Médical · SMR Les Lilas (+ 2 autres)"
