import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import DemandeFactory
from tests.factories.directory import CommuneFactory, StructureFactory, UniteFactory
from trajectoire.audit.enums import Action
from trajectoire.audit.models import AuditEvent
from trajectoire.demandes import services
from trajectoire.demandes.enums import Statut

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def test_structure_opens_a_demande_it_becomes_read_and_is_traced(client, dossier, doctor, smr_units, staff):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    client.force_login(staff[0])
    response = client.get(f"/demandes/{a.pk}/")
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.statut == Statut.LUE and a.read_at is not None
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(a.pk), actor=staff[0]).exists()
    html = response.content.decode()
    assert "Accepter" in html and "Refuser" in html and "Demander un complément" in html


def test_another_structure_and_another_doctor_get_404(client, dossier, doctor, smr_units, staff):
    a, _b, _ = services.send(dossier, smr_units, by=doctor)
    client.force_login(staff[1])
    assert client.get(f"/demandes/{a.pk}/").status_code == 404
    assert client.post(f"/demandes/{a.pk}/refuser/", {"refus-motif": "pas_de_place"}).status_code == 404
    client.force_login(MembershipFactory(structure=StructureFactory(), admissions=True).user)
    assert client.get(f"/demandes/{a.pk}/").status_code == 404
    client.force_login(UserFactory(medecin=True))
    assert client.get(f"/demandes/{a.pk}/").status_code == 404
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 404
    a.refresh_from_db()
    assert a.statut == Statut.ENVOYEE


def test_accept_then_confirm_through_the_pages(client, dossier, doctor, smr_units, staff):
    a, _b, _c = services.send(dossier, smr_units, by=doctor)
    client.force_login(staff[0])
    response = client.post(
        f"/demandes/{a.pk}/accepter/", {"accepter-date_admission": TOMORROW.isoformat()}, follow=True
    )
    assert "La proposition d’admission a été envoyée" in response.content.decode()
    client.force_login(doctor)
    html = client.get("/demandes/").content.decode()
    assert "À traiter en priorité" in html
    response = client.post(f"/demandes/{a.pk}/confirmer_admission/", follow=True)
    assert "Les autres demandes du dossier ont été clôturées" in response.content.decode()
    assert sorted(dossier.demandes.values_list("statut", flat=True)) == sorted(
        [Statut.ADMISSION_CONFIRMEE, Statut.CLOTUREE, Statut.CLOTUREE]
    )


def test_a_refused_transition_shows_a_clear_message(client, dossier, doctor, smr_units, staff):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    services.refuse(a, staff[0], "pas_de_place")
    client.force_login(staff[0])
    response = client.post(
        f"/demandes/{a.pk}/accepter/", {"accepter-date_admission": TOMORROW.isoformat()}, follow=True
    )
    assert "Action impossible : la demande est « Refusée »" in response.content.decode()


def test_invalid_form_input_is_reported_in_french(client, dossier, doctor, smr_units, staff):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    client.force_login(staff[0])
    response = client.post(f"/demandes/{a.pk}/refuser/", {"refus-motif": "autre", "refus-comment": ""}, follow=True)
    assert "Précisez le motif de refus." in response.content.decode()


def test_inbox_lists_unread_first_and_runs_a_constant_number_of_queries(
    client, doctor, smr_units, staff, django_assert_max_num_queries
):
    unit = smr_units[0]
    old = timezone.now() - dt.timedelta(days=3)
    DemandeFactory(unite=unit, sent_at=old, dossier__sanitaire=True, dossier__patient__nom_naissance="Ancienne")
    DemandeFactory(
        unite=unit, read_at=timezone.now(), dossier__sanitaire=True, dossier__patient__nom_naissance="Recente"
    )
    client.force_login(staff[0])
    # 13: the page's own queries, plus one each for the header's role and structure (issue 16) and the
    # response-time targets (issue 19), whatever the number of demandes.
    with django_assert_max_num_queries(13):
        first = client.get("/demandes/recues/")
    html = first.content.decode().upper()
    assert html.index("ANCIENNE") < html.index("RECENTE")  # unread first, even when older
    for _ in range(20):
        DemandeFactory(unite=unit, dossier__sanitaire=True)
    with django_assert_max_num_queries(13):
        response = client.get("/demandes/recues/")
    assert response.status_code == 200


def test_inbox_filters_by_status(client, smr_units, staff):
    unit = smr_units[0]
    DemandeFactory(unite=unit, statut=Statut.REFUSEE, dossier__sanitaire=True, dossier__patient__nom_naissance="Refusé")
    DemandeFactory(unite=unit, dossier__sanitaire=True, dossier__patient__nom_naissance="Envoyé")
    client.force_login(staff[0])
    html = client.get("/demandes/recues/?statut=refusee").content.decode()
    assert "REFUSÉ" in html.upper() and "ENVOYÉ" not in html.upper().replace("ENVOYÉE", "")


def test_inbox_pages_keep_the_filters(client, smr_units, staff):
    """« Suivante » and « Précédente » stay on the filtered list (the next link used to drop the filters)."""
    DemandeFactory.create_batch(27, unite=smr_units[0], statut=Statut.REFUSEE, dossier__sanitaire=True)
    DemandeFactory(unite=smr_units[0], dossier__sanitaire=True)
    client.force_login(staff[0])
    first = client.get("/demandes/recues/?statut=refusee").content.decode()
    assert 'href="?statut=refusee&amp;page=2">Suivante' in first
    second = client.get("/demandes/recues/?statut=refusee&page=2").content.decode()
    assert 'href="?statut=refusee&amp;page=1">Précédente' in second and "1 / 2" not in second and "2 / 2" in second


def test_inbox_shows_the_domain_label_not_its_code(client, staff):
    unit = UniteFactory(structure=staff[0].memberships.get().structure)
    DemandeFactory(unite=unit)  # a Grand Âge dossier
    client.force_login(staff[0])
    html = client.get("/demandes/recues/").content.decode()
    assert "<td>Grand Âge</td>" in html and "grand_age</td>" not in html


def test_send_page_from_a_dossier_lists_capable_units_and_sends(client, doctor, smr_units):
    from tests.factories.demandes import ReadyDossierFactory

    lyon = CommuneFactory(insee="69123", name="Lyon", latitude=45.76, longitude=4.83)
    for unit in smr_units:
        unit.structure.latitude, unit.structure.longitude = 45.75, 4.85
        unit.structure.save()
    dossier = ReadyDossierFactory(
        sanitaire=True, created_by=doctor, medecin=doctor, patient__created_by=doctor, patient__commune=lyon
    )
    client.force_login(doctor)
    html = client.get(f"/demandes/dossier/{dossier.pk}/envoyer/").content.decode()
    for unit in smr_units:
        assert unit.structure.name in html
    response = client.post(f"/demandes/dossier/{dossier.pk}/envoyer/", {"unites": [u.pk for u in smr_units]})
    assert response.status_code == 302
    assert dossier.demandes.count() == 3
    # another doctor cannot reach the page
    client.force_login(UserFactory(medecin=True))
    assert client.get(f"/demandes/dossier/{dossier.pk}/envoyer/").status_code == 404


def test_dossier_page_shows_its_demandes_timeline_and_send_button_to_the_sender(
    client, dossier, doctor, smr_units, staff
):
    _a, b, _ = services.send(dossier, smr_units, by=doctor)
    services.refuse(b, staff[1], "hors_secteur")
    client.force_login(doctor)
    html = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "Rechercher et envoyer" in html
    for unit in smr_units:
        assert unit.structure.name in html
    assert "Historique du dossier" in html and "Hors secteur géographique" in html
    # a receiving structure sees only its own demande on the dossier page, no timeline of the others
    client.force_login(staff[0])
    html = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert smr_units[0].structure.name in html
    assert smr_units[1].structure.name not in html and "Historique du dossier" not in html
    assert "Rechercher et envoyer" not in html


def test_cancel_a_whole_dossier_from_its_page(client, dossier, doctor, smr_units):
    services.send(dossier, smr_units, by=doctor)
    client.force_login(doctor)
    response = client.post(
        f"/demandes/dossier/{dossier.pk}/annuler/", {"annulation-motif": "deces", "annulation-comment": ""}, follow=True
    )
    assert "3 demande(s) annulée(s)" in response.content.decode()
    assert set(dossier.demandes.values_list("statut", flat=True)) == {Statut.ANNULEE}


def test_a_tnd_referral_goes_only_to_the_pco_of_the_childs_departement(client, doctor):
    from tests.factories.demandes import ReadyDossierFactory
    from trajectoire.demandes.matching import criteres_for
    from trajectoire.directory.enums import Domain, StructureType
    from trajectoire.directory.search import search

    lyon = CommuneFactory(insee="69381", name="Lyon 1er", departement="69", latitude=45.77, longitude=4.83)
    pcos = {}
    for dep, lat in (("69", 45.76), ("01", 45.80)):  # the Ain PCO is nearer the border, 5 km away
        structure = StructureFactory(
            name=f"CAMSP {dep}",
            departement=dep,
            latitude=lat,
            longitude=4.85,
            structure_type=StructureType.CAMSP,
            domain=Domain.TND,
            category_code="190",
        )
        pcos[dep] = UniteFactory(
            structure=structure, name="PCO", structure_type=StructureType.PCO, domain=Domain.TND, age_min=0, age_max=12
        )
    dossier = ReadyDossierFactory(
        tnd=True, created_by=doctor, medecin=doctor, patient__created_by=doctor, patient__commune=lyon
    )
    recherche = search(criteres_for(dossier))
    assert [r.unite for r in recherche.resultats] == [pcos["69"]]
    assert [r.unite for r in recherche.exclus] == [pcos["01"]]
    assert recherche.exclus[0].reasons == ["Non compétente pour le département 69"]


def test_the_search_from_a_dossier_reuses_the_patients_commune(doctor):
    """The patient's home, read with the dossier, is the search's origin without another query; a commune
    chosen instead (another INSEE code) is read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.demandes import ReadyDossierFactory
    from trajectoire.demandes.matching import criteres_for
    from trajectoire.directory.search import validate
    from trajectoire.dossiers.models import Dossier

    lyon = CommuneFactory(insee="69381", name="Lyon 1er", departement="69", latitude=45.77, longitude=4.83)
    bron = CommuneFactory(insee="69029", name="Bron", departement="69", latitude=45.73, longitude=4.91)
    made = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor, patient__commune=lyon)
    dossier = Dossier.objects.select_related("patient__commune").prefetch_related("sections").get(pk=made.pk)
    criteres = criteres_for(dossier)
    with CaptureQueriesContext(connection) as captured:
        origine = validate(criteres)
    assert (len(captured), origine.insee, origine.latitude) == (0, "69381", 45.77)
    criteres.insee = "69029"
    with CaptureQueriesContext(connection) as captured:
        origine = validate(criteres)
    assert (len(captured), origine.insee, origine.label) == (1, "69029", str(bron))


def test_a_button_reads_the_demande_once_and_traces_the_transition(
    client, dossier, doctor, smr_units, staff, django_capture_on_commit_callbacks
):
    """The page's button locks, reads the demande once under the lock and lends it to the service: one TRANSITION
    audit row of this request, the announce task queued once; a refused transition writes and queues nothing."""
    from django.contrib.messages import get_messages
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trajectoire.notifications.models import Notification

    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    client.force_login(staff[0])
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    with django_capture_on_commit_callbacks() as hooks:
        refused = client.post(f"/demandes/{a.pk}/refuser/", {"refus-motif": "autre", "refus-comment": ""})
        too_early = client.post(f"/demandes/{a.pk}/enregistrer_admission/", {"admission-date_entree": past})
    assert refused.status_code == too_early.status_code == 302 and hooks == []
    said = [str(m) for r in (refused, too_early) for m in get_messages(r.wsgi_request)]
    assert said and all("refusée" not in m for m in said), said
    assert not AuditEvent.objects.filter(action=Action.TRANSITION, object_id=str(a.pk)).exists()
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks() as hooks:
        assert client.post(f"/demandes/{a.pk}/mettre_en_attente/", {"attente-message": ""}).status_code == 302
    demande_reads = [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "demandes_demande"."id"')]
    assert len(demande_reads) == 1 and len(hooks) == 1  # read once; one announce task
    with django_capture_on_commit_callbacks(execute=True):
        hooks[0]()  # the worker's side (inline under the test settings)
    (row,) = AuditEvent.objects.filter(action=Action.TRANSITION, object_id=str(a.pk))
    assert (row.actor_id, row.details) == (staff[0].pk, {"transition": "mettre_en_attente"}) and row.request_id
    a.refresh_from_db()
    assert a.statut == Statut.LISTE_ATTENTE
    assert Notification.objects.filter(user=doctor, title__startswith="Demande inscrite sur liste d").count() == 1
