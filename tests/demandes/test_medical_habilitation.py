"""The medical habilitation: medical professions only, never self-granted, every change audited and told to
the member (issue 14, item 3)."""

import pytest

from tests.factories.accounts import MembershipFactory, UserFactory
from trajectoire.accounts.enums import Profession
from trajectoire.accounts.permissions import may_hold_medical_habilitation
from trajectoire.audit.enums import Action
from trajectoire.audit.models import AuditEvent
from trajectoire.demandes import referent as referent_services
from trajectoire.notifications.models import Notification

pytestmark = pytest.mark.django_db

ROLES = {"is_admissions": True, "is_medical": True, "is_referent": True}


@pytest.mark.parametrize(
    ("profession", "rpps", "expected"),
    [
        (Profession.MEDECIN, True, True),
        (Profession.INFIRMIER, True, True),
        (Profession.CADRE_SANTE, True, False),
        (Profession.SECRETAIRE, True, False),
        (Profession.MEDECIN, False, False),  # a profession nobody's identity vouches for
        ("", True, False),
    ],
)
def test_the_predicate(profession, rpps, expected):
    user = UserFactory(profession=profession, **({} if rpps else {"rpps": None, "username": "carte-cpe-1"}))
    assert may_hold_medical_habilitation(user) is expected


def test_a_referent_cadre_cannot_grant_herself_the_medical_habilitation(client):
    referent = MembershipFactory(referent=True, user__profession=Profession.CADRE_SANTE)
    client.force_login(referent.user)
    response = client.post(
        f"/demandes/structure/{referent.structure_id}/membres/{referent.pk}/",
        {"is_referent": "on", "is_medical": "on", "is_active": "on"},
    )
    assert response.status_code == 200
    referent.refresh_from_db()
    assert not referent.is_medical


def test_a_referent_doctor_cannot_grant_herself_the_medical_habilitation_either():
    referent = MembershipFactory(referent=True, user__profession=Profession.MEDECIN)
    with pytest.raises(referent_services.ReferentError, match="vous-même"):
        referent_services.update_roles(referent, roles=ROLES, is_active=True, by=referent.user)
    referent.refresh_from_db()
    assert not referent.is_medical


def test_a_nurse_gets_it_from_the_referent_audited_and_told():
    referent = MembershipFactory(referent=True, user__profession=Profession.CADRE_SANTE)
    nurse = MembershipFactory(structure=referent.structure, admissions=True, user__profession=Profession.INFIRMIER)
    referent_services.update_roles(nurse, roles={**ROLES, "is_referent": False}, is_active=True, by=referent.user)
    nurse.refresh_from_db()
    assert nurse.is_medical
    event = AuditEvent.objects.get(action=Action.MEMBERSHIP_CHANGED, actor=referent.user, object_id=str(nurse.pk))
    assert event.details["is_medical"] is True
    assert Notification.objects.filter(user=nurse.user, title__contains="habilitations").exists()


def test_a_secretary_cannot_be_given_it_nor_added_with_it():
    referent = MembershipFactory(referent=True, user__profession=Profession.CADRE_SANTE)
    secretary = MembershipFactory(structure=referent.structure, admissions=True, user__profession=Profession.SECRETAIRE)
    with pytest.raises(referent_services.ReferentError, match="professions médicales"):
        referent_services.update_roles(secretary, roles=ROLES, is_active=True, by=referent.user)
    with pytest.raises(referent_services.ReferentError, match="professions médicales"):
        referent_services.add_member(
            referent.structure, rpps="10106476764", first_name="Léa", last_name="Dupuis",
            email="lea@exemple.test", roles={"is_medical": True}, by=referent.user,
        )  # fmt: skip


def test_a_member_who_no_longer_qualifies_loses_the_medical_door():
    """Keeping the habilitation follows the same rule: a profession changed by the identity closes the door."""
    from tests.factories.demandes import DemandeFactory
    from trajectoire.dossiers.access import can_view_medical

    member = MembershipFactory(medical=True, user__profession=Profession.INFIRMIER)
    demande = DemandeFactory(structure=member.structure, unite__structure=member.structure)
    assert can_view_medical(member.user, demande.dossier)
    member.user.profession = Profession.SECRETAIRE
    member.user.save()
    assert not can_view_medical(member.user, demande.dossier)


def test_the_administration_refuses_it_too(client):
    from trajectoire.accounts.admin import MembershipAdminForm

    secretary = MembershipFactory(admissions=True, user__profession=Profession.SECRETAIRE)
    form = MembershipAdminForm(
        data={"user": secretary.user_id, "structure": secretary.structure_id, "is_medical": "on", "is_active": "on"},
        instance=secretary,
    )
    assert not form.is_valid()
    assert "professions médicales" in str(form.errors)


def test_the_administration_audits_habilitation_changes(client):
    import re

    admin = UserFactory(is_staff=True, is_superuser=True, profession=Profession.AUTRE)
    nurse = MembershipFactory(admissions=True, user__profession=Profession.INFIRMIER)
    client.force_login(admin)
    url = f"/administration/accounts/user/{nurse.user_id}/change/"
    page = client.get(url).content.decode()
    data = {}
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
        name = re.search(r'\bname="([^"]+)"', tag)
        if not name or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = chosen.group(1) if chosen else ""
    data["memberships-0-is_medical"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    nurse.refresh_from_db()
    assert nurse.is_medical
    assert AuditEvent.objects.filter(action=Action.MEMBERSHIP_CHANGED, actor=admin, object_id=str(nurse.pk)).exists()
