"""The family's dossier: opening it, the administrative part, permissions (404/403), traces, aidants."""

from urllib.parse import urlparse

import pytest

from tests.factories.usagers import FamilleFactory, FamilyDossierFactory
from trajectoire.accounts.models import User
from trajectoire.audit.enums import Action
from trajectoire.audit.models import AuditEvent
from trajectoire.dossiers.models import Dossier
from trajectoire.usagers.models import Aidant, InvitationAidant

from .conftest import PASSWORD, complete, fill, link_in, mentions_gir

pytestmark = pytest.mark.django_db

PERSONNE = {
    "nom_naissance": "Bernard",
    "prenoms": "Jeanne Louise",
    "date_naissance": "1936-04-02",
    "sexe": "F",
    "prise_en_charge": "ehpad",
    "type_sejour": "permanent",
    "lien": "fille",
    "consentement": "on",
}


def test_family_opens_a_dossier_and_validates_the_administrative_part(client, famille):
    client.force_login(famille)
    response = client.post("/usager/dossier/nouveau/", PERSONNE)
    dossier = Dossier.objects.get(created_by=famille)
    assert response["Location"] == f"/usager/dossier/{dossier.pk}/administratif/"
    assert dossier.numero.startswith("GA-") and dossier.medecin is None
    assert dossier.patient.nom_naissance == "BERNARD"
    assert Aidant.objects.get(dossier=dossier).is_referent
    response = client.post(f"/usager/dossier/{dossier.pk}/administratif/", {"situation_familiale": "veuf"})
    assert "Renseignez « Personne référente : nom »" in response.content.decode()
    from tests.dossiers.helpers import VALID

    response = client.post(f"/usager/dossier/{dossier.pk}/administratif/", VALID["grand_age"]["administratif"])
    assert response["Location"] == f"/usager/dossier/{dossier.pk}/medecin/"  # next step: the doctor
    page = client.get(f"/usager/dossier/{dossier.pk}/").content.decode()
    assert "Validée" in page and "À compléter par le médecin" in page
    # Opening the same person twice is refused.
    response = client.post("/usager/dossier/nouveau/", PERSONNE)
    assert "déjà un dossier en cours pour cette personne" in response.content.decode()


def test_consent_is_required_to_open_a_dossier(client, famille):
    client.force_login(famille)
    response = client.post("/usager/dossier/nouveau/", {**PERSONNE, "consentement": ""})
    assert "nécessite l’accord de la personne concernée" in response.content.decode()
    assert not Dossier.objects.exists()


def test_another_family_gets_404_on_every_page(client, dossier):
    client.force_login(FamilleFactory())
    base = f"/usager/dossier/{dossier.pk}"
    for url in ("/", "/administratif/", "/aidants/", "/medecin/", "/etablissements/"):
        assert client.get(base + url).status_code == 404, url
    for url in ("/medecin/papier/", "/toujours-actualite/", "/demandes/1/accepter/"):
        assert client.post(base + url).status_code == 404, url


def test_the_family_page_sees_what_dossiers_for_sees_and_nothing_else(client, dossier, famille, medecin):
    """The page reads the dossier by key, then checks the reader (services.ensure_family_sees): an aidant sees it
    (one query on the aidant rows), the author too; another family, an aidant turned inactive, a professional,
    an aidant of a dossier that is not Grand Âge get a 404, as `dossiers_for(user)` answers."""
    from tests.factories.accounts import UserFactory
    from trajectoire.usagers.services.dossiers import dossiers_for

    aidant, stranger = FamilleFactory(), FamilleFactory()
    Aidant.objects.create(dossier=dossier, user=aidant, lien="fils")
    expected = {famille: 200, aidant: 200, stranger: 404, medecin: 403, UserFactory(): 403}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(f"/usager/dossier/{dossier.pk}/").status_code == status, user
        assert dossiers_for(user).filter(pk=dossier.pk).exists() == (status == 200), user
    client.force_login(aidant)
    User.objects.filter(pk=aidant.pk).update(is_active=False)
    assert client.get(f"/usager/dossier/{dossier.pk}/").status_code in (302, 404)
    User.objects.filter(pk=aidant.pk).update(is_active=True)
    Dossier.objects.filter(pk=dossier.pk).update(domain="sanitaire")
    client.force_login(aidant)
    assert client.get(f"/usager/dossier/{dossier.pk}/").status_code == 404
    assert not dossiers_for(aidant).filter(pk=dossier.pk).exists()


def test_family_never_sees_the_medical_part(client, dossier, famille, medecin):
    complete(dossier, famille, medecin)
    client.force_login(famille)
    page = client.get(f"/usager/dossier/{dossier.pk}/").content.decode()
    assert "Complétée" in page
    assert "Zorglubite" not in page and not mentions_gir(page)
    # The doctors' pages are closed to usagers, medical section included.
    assert client.get(f"/dossiers/{dossier.pk}/sections/medical/").status_code == 403
    assert client.get(f"/dossiers/{dossier.pk}/sections/aggir/").status_code == 403
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 403
    assert client.get(f"/dossiers/{dossier.pk}/imprimer/").status_code == 403
    search = client.get(f"/usager/dossier/{dossier.pk}/etablissements/").content.decode()
    assert "Zorglubite" not in search and not mentions_gir(search)


def test_every_read_is_traced(client, dossier, famille):
    client.force_login(famille)
    client.get(f"/usager/dossier/{dossier.pk}/")
    client.get(f"/usager/dossier/{dossier.pk}/administratif/")
    reads = AuditEvent.objects.filter(action=Action.VIEW, actor=famille, object_id=str(dossier.pk))
    assert reads.count() == 2
    assert not AuditEvent.objects.filter(action=Action.VIEW_MEDICAL, actor=famille).exists()


def test_professional_cannot_use_the_family_pages(client, dossier, medecin):
    client.force_login(medecin)
    assert client.get(f"/usager/dossier/{dossier.pk}/").status_code == 403
    assert client.get("/usager/dossier/nouveau/").status_code == 403


def test_anonymous_is_sent_to_the_family_login(client, dossier):
    response = client.get(f"/usager/dossier/{dossier.pk}/")
    assert response["Location"].startswith("/usager/connexion/?next=")


def test_referent_shares_the_dossier_with_consent(client, dossier, famille):
    frere = FamilleFactory(username="frere@exemple.test", first_name="Luc")
    client.force_login(famille)
    url = f"/usager/dossier/{dossier.pk}/aidants/"
    response = client.post(url, {"ajouter": "1", "email": "frere@exemple.test", "lien": "fils"})
    assert "L’accord de la personne concernée est nécessaire" in response.content.decode()
    client.post(url, {"ajouter": "1", "email": "frere@exemple.test", "lien": "fils", "consentement": "on"})
    aidant = Aidant.objects.get(dossier=dossier, user=frere)
    assert aidant.consentement_at is not None and aidant.consentement_by == famille
    client.force_login(frere)
    assert client.get(f"/usager/dossier/{dossier.pk}/").status_code == 200
    # A non-référent aidant cannot share further.
    client.post(url, {"ajouter": "1", "email": famille.email, "consentement": "on"})
    assert Aidant.objects.filter(dossier=dossier).count() == 2
    client.force_login(famille)
    client.post(url, {"referent": aidant.pk})
    aidant.refresh_from_db()
    assert aidant.is_referent and Aidant.objects.filter(dossier=dossier, is_referent=True).count() == 1


def test_the_dossier_list_shows_only_my_dossiers(client, dossier, famille):
    other = FamilyDossierFactory()
    client.force_login(famille)
    page = client.get("/usager/").content.decode()
    assert dossier.numero in page and other.numero not in page
    fill(dossier, "administratif", famille)


def test_public_pages_and_dashboard_panel(client, dossier, famille):
    page = client.get("/usager/").content.decode()
    assert "Créer mon compte" in page and "J’ai déjà un compte" in page
    page = client.get("/usager/aide/").content.decode()
    assert "Aide aux familles" in page and "Que se passe-t-il quand j’accepte une place ?" in page
    client.force_login(famille)
    page = client.get("/tableau-de-bord/").content.decode()
    assert "Mon espace particulier" in page and dossier.numero in page


def _share(client, dossier, email, **extra):
    url = f"/usager/dossier/{dossier.pk}/aidants/"
    data = {"ajouter": "1", "email": email, "lien": "fils", "consentement": "on", **extra}
    return client.post(url, data, follow=True)


SAME_ANSWER = "Si la personne a un compte confirmé, elle a déjà accès au dossier"


def test_a_relative_without_an_account_is_invited_and_gets_access_once_confirmed(
    client, dossier, famille, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(famille)
    with django_capture_on_commit_callbacks(execute=True):
        page = _share(client, dossier, "Luc.Bernard@exemple.test").content.decode()
    assert SAME_ANSWER in page and "Invitations en attente" in page and "luc.bernard@exemple.test" in page
    invitation = InvitationAidant.objects.get(dossier=dossier)
    assert invitation.email == "luc.bernard@exemple.test" and invitation.invited_by == famille
    message = smtp_server.mailbox.wait_for("luc.bernard@exemple.test")[0]
    assert dossier.numero in message["Subject"]
    assert "/usager/inscription/" in message.get_payload(decode=True).decode()
    # He signs up with that address: no access before the address is confirmed…
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/usager/inscription/", {"first_name": "Luc", "last_name": "Bernard",
                                             "email": "luc.bernard@exemple.test", "password": PASSWORD,
                                             "password2": PASSWORD})  # fmt: skip
    luc = User.objects.get(username="luc.bernard@exemple.test")
    client.force_login(luc)
    assert client.get(f"/usager/dossier/{dossier.pk}/").status_code == 404
    # …and access with the consent recorded for the invitation once it is.
    received = smtp_server.mailbox.wait_for("luc.bernard@exemple.test", count=2)
    confirmation = next(m for m in received if "Confirmez" in m["Subject"])
    client.get(urlparse(link_in(confirmation)).path)
    aidant = Aidant.objects.get(dossier=dossier, user=luc)
    assert aidant.consentement_by == famille and aidant.consentement_at == invitation.consentement_at
    assert not InvitationAidant.objects.exists()
    assert client.get(f"/usager/dossier/{dossier.pk}/").status_code == 200


def test_an_unconfirmed_account_is_not_trusted_with_a_dossier(client, dossier, famille):
    squatter = FamilleFactory(username="luc@exemple.test", unconfirmed=True)  # nobody proved this address
    client.force_login(famille)
    assert SAME_ANSWER in _share(client, dossier, "luc@exemple.test").content.decode()
    assert not Aidant.objects.filter(user=squatter).exists()
    assert InvitationAidant.objects.filter(dossier=dossier, email="luc@exemple.test").exists()


def test_only_the_referent_sees_and_cancels_invitations(client, dossier, famille):
    frere = FamilleFactory(username="frere@exemple.test")
    client.force_login(famille)
    _share(client, dossier, "frere@exemple.test")
    _share(client, dossier, "cousin@exemple.test")
    invitation = InvitationAidant.objects.get(dossier=dossier)
    client.force_login(frere)
    url = f"/usager/dossier/{dossier.pk}/aidants/"
    assert "cousin@exemple.test" not in client.get(url).content.decode()
    page = client.post(url, {"annuler_invitation": invitation.pk}, follow=True).content.decode()
    assert "Seul l’aidant référent peut annuler une invitation" in page
    assert InvitationAidant.objects.filter(pk=invitation.pk).exists()
    client.force_login(famille)
    client.post(url, {"annuler_invitation": invitation.pk})
    assert not InvitationAidant.objects.exists()
    page = client.post(url, {"annuler_invitation": "abc"}, follow=True).content.decode()
    assert "Action invalide" in page
