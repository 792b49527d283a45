"""What the header says under the user's name (issue 16): the role, and the structure of a member."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def _membership_queries(captured) -> int:
    return sum("accounts_membership" in query["sql"] for query in captured)


def test_the_label_is_kept_for_pages_that_read_no_membership_and_dropped_when_one_is_written(db, client, settings):
    """A doctor's « Mes demandes » reads no membership but for the header: the label comes from the cache; a
    membership written, deactivated or deleted changes it at once."""
    settings.ROLE_SUMMARY_CACHE_SECONDS = 300
    doctor = UserFactory(medecin=True)
    client.force_login(doctor)
    assert "Médecin" in client.get("/demandes/").content.decode()
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/demandes/").content.decode()
    assert "Médecin" in page and _membership_queries(captured) == 0
    membership = MembershipFactory(user=doctor, admissions=True, structure=StructureFactory(name="EHPAD Les Tilleuls"))
    assert "Admissions · EHPAD Les Tilleuls" in client.get("/demandes/").content.decode()
    membership.is_active = False
    membership.save()
    assert "Admissions · EHPAD Les Tilleuls" not in client.get("/demandes/").content.decode()
    membership.is_active = True
    membership.save()
    assert doctor.role_summary == "Admissions · EHPAD Les Tilleuls"
    membership.delete()
    assert doctor.role_summary == "Médecin"
