"""Choosing structures: search with the monthly cost (GIR never shown), send once ready, offers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from trajectoire.demandes import services as demande_services
from trajectoire.demandes.enums import MotifCloture, Statut
from trajectoire.demandes.models import AlerteInactivite, Demande

from .conftest import complete, fill, mentions_gir, three_priced_ehpads

pytestmark = pytest.mark.django_db


@pytest.fixture
def ehpads(db):
    return three_priced_ehpads()


def _search(client, dossier):
    return client.get(f"/usager/dossier/{dossier.pk}/etablissements/", {"commune": "Bourg-en-Bresse", "rayon": 30})


def test_search_shows_monthly_cost_without_the_gir(client, dossier, famille, medecin, ehpads):
    complete(dossier, famille, medecin)
    client.force_login(famille)
    page = _search(client, dossier).content.decode()
    assert "<strong>3</strong> établissement(s)" in page
    # 70 € a day + GIR 5-6 tariff, × 30.42: the same figure for every GIR, labelled as a price before aids
    assert "Prix mensuel (hébergement + tarif dépendance GIR 5-6), avant aides : <strong>2296 €</strong>" in page
    assert "reste à charge" not in page and "tient compte de l’évaluation" not in page
    assert not mentions_gir(page)


def test_cannot_send_before_the_dossier_is_ready(client, dossier, famille, ehpads):
    fill(dossier, "administratif", famille)
    client.force_login(famille)
    page = _search(client, dossier).content.decode()
    assert "La partie médicale doit être complétée par le médecin" in page
    response = client.post(f"/usager/dossier/{dossier.pk}/etablissements/", {"unites": [ehpads[0].pk]}, follow=True)
    assert "La partie médicale doit être complétée" in response.content.decode()
    assert not Demande.objects.exists()


def test_cannot_send_before_the_e_mail_is_confirmed(client, dossier, famille, medecin, ehpads):
    complete(dossier, famille, medecin)
    famille.email_confirmed_at = None
    famille.save()
    client.force_login(famille)
    response = client.post(f"/usager/dossier/{dossier.pk}/etablissements/", {"unites": [ehpads[0].pk]}, follow=True)
    assert "Confirmez votre adresse électronique" in response.content.decode()
    assert not Demande.objects.exists()


def test_send_to_three_then_accept_an_offer_closes_the_others(client, dossier, famille, medecin, ehpads):
    complete(dossier, famille, medecin)
    client.force_login(famille)
    response = client.post(f"/usager/dossier/{dossier.pk}/etablissements/", {"unites": [u.pk for u in ehpads]})
    assert response["Location"] == f"/usager/dossier/{dossier.pk}/"
    demandes = list(Demande.objects.filter(dossier=dossier).order_by("pk"))
    assert len(demandes) == 3 and all(d.sent_by == famille for d in demandes)
    staff = [u.structure.memberships.get().user for u in ehpads]
    demande_services.mark_read(demandes[0], staff[0])
    demande_services.put_on_waiting_list(demandes[1], staff[1])
    demande_services.accept(demandes[2], staff[2], timezone.localdate() + timedelta(days=10))
    page = client.get(f"/usager/dossier/{dossier.pk}/").content.decode()
    assert "Lue par l’établissement" in page and "Sur liste d’attente" in page
    assert f"entrée possible le {timezone.localdate() + timedelta(days=10):%d/%m/%Y}" in page
    response = client.post(f"/usager/dossier/{dossier.pk}/demandes/{demandes[2].pk}/accepter/", follow=True)
    assert "Les autres demandes sont closes" in response.content.decode()
    statuts = [Demande.objects.get(pk=d.pk) for d in demandes]
    assert [d.statut for d in statuts] == [Statut.CLOTUREE, Statut.CLOTUREE, Statut.ADMISSION_CONFIRMEE]
    assert statuts[0].motif_cloture == MotifCloture.ADMIS_AILLEURS
    page = client.get(f"/usager/dossier/{dossier.pk}/").content.decode()
    assert "Clôturée — patient admis ailleurs" in page and "Vous avez accepté cette place" in page


def test_decline_an_offer_and_read_a_refusal_motif(client, dossier, famille, medecin, ehpads):
    complete(dossier, famille, medecin)
    client.force_login(famille)
    client.post(f"/usager/dossier/{dossier.pk}/etablissements/", {"unites": [ehpads[0].pk, ehpads[1].pk]})
    first, second = Demande.objects.filter(dossier=dossier).order_by("pk")
    staff = [u.structure.memberships.get().user for u in ehpads]
    demande_services.accept(first, staff[0], timezone.localdate() + timedelta(days=3))
    demande_services.refuse(second, staff[1], "pas_de_place")
    client.post(f"/usager/dossier/{dossier.pk}/demandes/{first.pk}/decliner/")
    first.refresh_from_db()
    assert first.statut == Statut.ANNULEE
    page = client.get(f"/usager/dossier/{dossier.pk}/").content.decode()
    assert "Refusée — motif : Absence de place disponible" in page
    assert "Annulée — proposition d’admission déclinée" in page


def test_another_family_cannot_act_on_my_demandes(client, dossier, famille, medecin, ehpads):
    from tests.factories.usagers import FamilleFactory, FamilyDossierFactory

    complete(dossier, famille, medecin)
    demande = demande_services.send(dossier, [ehpads[0]], by=famille)[0]
    demande_services.accept(demande, ehpads[0].structure.memberships.get().user, timezone.localdate())
    other = FamilleFactory()
    own = FamilyDossierFactory(created_by=other, patient__created_by=other)
    client.force_login(other)
    assert client.post(f"/usager/dossier/{own.pk}/demandes/{demande.pk}/accepter/").status_code == 404
    assert client.post(f"/usager/dossier/{dossier.pk}/demandes/{demande.pk}/accepter/").status_code == 404
    demande.refresh_from_db()
    assert demande.statut == Statut.ACCEPTEE


def test_still_current_button_on_the_family_page(client, dossier, famille):
    AlerteInactivite.objects.create(dossier=dossier, alerted_at=timezone.now())
    client.force_login(famille)
    page = client.get(f"/usager/dossier/{dossier.pk}/").content.decode()
    assert "Votre dossier est-il toujours d’actualité ?" in page
    response = client.post(f"/usager/dossier/{dossier.pk}/toujours-actualite/", follow=True)
    assert "votre dossier reste actif" in response.content.decode()
    assert not AlerteInactivite.objects.filter(dossier=dossier).exists()


def test_every_aidant_hears_of_answers_with_a_link_to_the_family_page(
    client, dossier, famille, medecin, ehpads, django_capture_on_commit_callbacks
):
    from tests.factories.usagers import FamilleFactory
    from trajectoire.notifications.models import Notification
    from trajectoire.usagers.models import Aidant

    second = FamilleFactory()
    Aidant.objects.create(dossier=dossier, user=second, lien="fils", consentement_at=timezone.now())
    complete(dossier, famille, medecin)
    (demande,) = demande_services.send(dossier, ehpads[:1], by=famille)
    staff = ehpads[0].structure.memberships.get().user
    with django_capture_on_commit_callbacks(execute=True):
        demande_services.refuse(demande, staff, "pas_de_place")
    for aidant in (famille, second):
        notification = Notification.objects.get(user=aidant, title__startswith="Demande refusée")
        assert notification.url == f"/demandes/{demande.pk}/"
    client.force_login(second)
    page = client.get(f"/demandes/{demande.pk}/").content.decode()
    assert f'href="/usager/dossier/{dossier.pk}/"' in page  # never the professionals' dossier page
