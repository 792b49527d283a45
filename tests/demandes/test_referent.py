import pytest

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.accounts.models import Membership
from trajectoire.audit.enums import Action
from trajectoire.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def referent():
    return MembershipFactory(referent=True)


def test_referent_adds_a_member_who_must_first_log_in_by_card(client, referent):
    structure = referent.structure
    client.force_login(referent.user)
    response = client.post(
        f"/demandes/structure/{structure.pk}/",
        {
            "rpps": "10106476764",
            "last_name": "Dupuis",
            "first_name": "Léa",
            "email": "lea.dupuis@exemple.test",
            "is_admissions": "on",
        },
        follow=True,
    )
    assert "est rattaché(e) à la structure" in response.content.decode()
    membership = Membership.objects.get(structure=structure, user__rpps="10106476764")
    assert membership.is_admissions and not membership.is_medical and not membership.is_referent
    assert not membership.user.can_use_password_login  # first login by card or e-CPS
    assert AuditEvent.objects.filter(action=Action.MEMBERSHIP_CHANGED, actor=referent.user).exists()


def test_invalid_rpps_and_no_role_are_explained(client, referent):
    client.force_login(referent.user)
    html = client.post(
        f"/demandes/structure/{referent.structure.pk}/",
        {"rpps": "10106476765", "last_name": "X", "first_name": "Y", "email": "x@exemple.test"},
    ).content.decode()
    assert "clé de contrôle ne correspond pas" in html
    html = client.post(
        f"/demandes/structure/{referent.structure.pk}/",
        {"rpps": "10106476764", "last_name": "X", "first_name": "Y", "email": "x@exemple.test"},
    ).content.decode()
    assert "Choisissez au moins une habilitation." in html


def test_a_referent_never_sees_another_structure(client, referent):
    other = StructureFactory()
    other_member = MembershipFactory(structure=other, admissions=True)
    other_unit = UniteFactory(structure=other)
    client.force_login(referent.user)
    assert client.get(f"/demandes/structure/{other.pk}/").status_code == 404
    assert client.get(f"/demandes/structure/{other.pk}/membres/{other_member.pk}/").status_code == 404
    assert client.get(f"/demandes/structure/{other.pk}/unites/{other_unit.pk}/").status_code == 404
    # nor another structure's member through its own structure's URL
    assert client.get(f"/demandes/structure/{referent.structure.pk}/membres/{other_member.pk}/").status_code == 404


def test_admissions_member_is_not_a_referent(client):
    admissions = MembershipFactory(admissions=True)
    client.force_login(admissions.user)
    assert client.get(f"/demandes/structure/{admissions.structure.pk}/").status_code == 404


def test_referent_changes_roles_but_cannot_remove_the_last_referent(client, referent):
    member = MembershipFactory(structure=referent.structure, admissions=True)
    client.force_login(referent.user)
    client.post(
        f"/demandes/structure/{referent.structure.pk}/membres/{member.pk}/",
        {"is_medical": "on", "is_active": "on"},
    )
    member.refresh_from_db()
    assert member.is_medical and not member.is_admissions
    html = client.post(
        f"/demandes/structure/{referent.structure.pk}/membres/{referent.pk}/",
        {"is_admissions": "on", "is_active": "on"},
    ).content.decode()
    assert "seul référent" in html
    referent.refresh_from_db()
    assert referent.is_referent


def test_updating_free_places_records_the_declaration_date_and_the_search_sees_it(client, referent):
    from tests.factories.directory import CommuneFactory
    from trajectoire.directory.search import Criteres, search

    structure = referent.structure
    unit = UniteFactory(structure=structure, free_places=0, capacity=80)
    CommuneFactory(insee="01053", name="Bourg-en-Bresse", latitude=structure.latitude, longitude=structure.longitude)
    criteres = Criteres(structure_type="ehpad", insee="01053", radius_km=10, free_places_only=True)
    assert unit not in [r.unite for r in search(criteres).resultats]
    client.force_login(referent.user)
    response = client.post(
        f"/demandes/structure/{structure.pk}/unites/{unit.pk}/",
        {
            "name": unit.name,
            "capacity": 80,
            "free_places": 3,
            "is_active": "on",
            "capabilities": ["troubles_cognitifs"],
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.free_places == 3 and unit.free_places_declared_at is not None
    assert unit.capabilities == ["troubles_cognitifs"]
    assert unit in [r.unite for r in search(criteres).resultats]
    page = client.get(f"/demandes/structure/{structure.pk}/").content.decode()
    assert f"{unit.free_places_declared_at.astimezone():%d/%m/%Y %H:%M}, référent de la structure" in page


def test_referent_takes_over_imported_places_even_with_the_same_figure(client, referent):
    from datetime import timedelta

    from django.utils import timezone

    from trajectoire.directory.services import update_free_places

    unit = UniteFactory(structure=referent.structure, free_places=None, capacity=80)
    update_free_places(unit, 3, source="ror", at=timezone.now() - timedelta(days=2))
    client.force_login(referent.user)
    client.post(
        f"/demandes/structure/{referent.structure.pk}/unites/{unit.pk}/",
        {"name": unit.name, "capacity": 80, "free_places": 3, "is_active": "on"},
    )
    unit.refresh_from_db()
    assert unit.free_places_source == "referent"
    assert timezone.now() - unit.free_places_declared_at < timedelta(minutes=1)


def test_free_places_cannot_exceed_capacity(client, referent):
    unit = UniteFactory(structure=referent.structure, capacity=10)
    client.force_login(referent.user)
    html = client.post(
        f"/demandes/structure/{referent.structure.pk}/unites/{unit.pk}/",
        {"name": unit.name, "capacity": 10, "free_places": 11, "is_active": "on"},
    ).content.decode()
    assert "ne peuvent pas dépasser la capacité" in html


def test_dashboard_shows_demandes_panel(client, dossier, doctor, smr_units, staff):
    from trajectoire.demandes import services

    services.send(dossier, smr_units[:1], by=doctor)
    client.force_login(staff[0])
    html = client.get("/tableau-de-bord/").content.decode()
    assert "Demandes reçues" in html and "1 non lue(s)" in html
    client.force_login(UserFactory())
    assert "Demandes reçues" not in client.get("/tableau-de-bord/").content.decode()
