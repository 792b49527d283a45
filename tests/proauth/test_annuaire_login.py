"""First card login with the Annuaire Santé: identity and profession pre-filled, places of practice proposed to the
structures' référents (who confirm)."""

from urllib.parse import quote

import pytest

from tests.factories.accounts import MembershipFactory
from tests.factories.directory import StructureFactory
from trajectoire.accounts.models import User
from trajectoire.directory.models import LieuExercice, Professionnel

from .conftest import CARD_PROXY_SECRET
from .pki import RPPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_annuaire():
    ehpad = StructureFactory(finess="010002228", name="EHPAD Les Tilleuls")
    pro = Professionnel.objects.create(
        id_type="8", identifiant=RPPS, identification_nationale="8" + RPPS, nom="MARTIN", prenom="MARIE",
        search_name="martin marie", profession_code="10", profession_label="Médecin",
        savoir_faire_code="SM54", savoir_faire_label="Médecine générale",
    )  # fmt: skip
    LieuExercice.objects.create(professionnel=pro, cle="1", finess_site=ehpad.finess)
    return ehpad


def test_first_card_login_takes_profession_and_proposes_the_places_of_practice(client, card_trust, in_annuaire):
    headers = {
        "HTTP_X_SSL_CLIENT_VERIFY": "SUCCESS",
        "HTTP_X_SSL_CLIENT_CERT": quote(card_trust.pem("cps")),
        "HTTP_X_CARD_PROXY_SECRET": CARD_PROXY_SECRET,  # what our nginx adds (issue 14)
    }
    client.get("/connexion/carte/", **headers)
    user = User.objects.get(rpps=RPPS)
    assert (user.profession, user.specialite) == ("medecin", "Médecine générale")
    page = client.get("/connexion/premiere-connexion/").content.decode()
    assert "Vos lieux d’exercice selon l’Annuaire Santé" in page and "EHPAD Les Tilleuls" in page

    referent = MembershipFactory(structure=in_annuaire, is_referent=True).user
    other = MembershipFactory(structure=StructureFactory(finess="690000011"), is_referent=True).user
    client.force_login(referent)
    page = client.get(f"/demandes/structure/{in_annuaire.pk}/").content.decode()
    assert "Rattachements proposés par l’Annuaire Santé" in page and f"RPPS {RPPS}" in page
    form = client.get(f"/demandes/structure/{in_annuaire.pk}/?rpps={RPPS}").context["form"]
    assert form.initial["last_name"] == user.last_name
    client.force_login(other)
    assert RPPS not in client.get(f"/demandes/structure/{other.memberships.get().structure_id}/").content.decode()
