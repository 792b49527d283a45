"""A family never reaches the professionals' pages of its own dossier, and no route skips the sending rules
(issue 14, items 1 and 2)."""

import pytest

from trajectoire.audit.models import AuditEvent
from trajectoire.demandes import services as demande_services
from trajectoire.demandes.models import Demande

from .conftest import complete, three_priced_ehpads

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("suffix", ["envoyer/", "annuler/", "toujours-actualite/"])
def test_the_family_is_refused_the_professionals_search_page(client, dossier, famille, medecin, suffix):
    complete(dossier, famille, medecin)
    client.force_login(famille)
    call = client.get if suffix == "envoyer/" else client.post
    response = call(f"/demandes/dossier/{dossier.pk}/{suffix}")
    assert response.status_code == 403
    assert "GIR" not in response.content.decode()


@pytest.mark.parametrize("path", ["/demandes/", "/demandes/recues/"])
def test_the_family_is_refused_the_professionals_lists(client, famille, path):
    client.force_login(famille)
    assert client.get(path).status_code == 403


def test_an_unconfirmed_family_cannot_send_through_the_professionals_route(client, dossier, famille, medecin):
    units = three_priced_ehpads()
    complete(dossier, famille, medecin)
    famille.email_confirmed_at = None
    famille.save()
    client.force_login(famille)
    client.post(f"/demandes/dossier/{dossier.pk}/envoyer/", {"unites": [units[0].pk]})
    assert not Demande.objects.exists()


def test_the_sending_service_applies_the_family_rules(dossier, famille, medecin):
    """Whatever the door (page, API, command), `demandes.services.send` refuses an unconfirmed family."""
    units = three_priced_ehpads()
    complete(dossier, famille, medecin)
    famille.email_confirmed_at = None
    famille.save()
    with pytest.raises(demande_services.SendError, match="Confirmez votre adresse électronique"):
        demande_services.send(dossier, units[:1], by=famille)
    assert not Demande.objects.exists()


def test_the_professional_search_page_is_audited(client, dossier, famille, medecin):
    complete(dossier, famille, medecin)
    client.force_login(medecin)
    before = AuditEvent.objects.count()
    assert client.get(f"/demandes/dossier/{dossier.pk}/envoyer/").status_code == 200
    assert AuditEvent.objects.filter(object_id=str(dossier.pk)).count() > 0
    assert AuditEvent.objects.count() > before
