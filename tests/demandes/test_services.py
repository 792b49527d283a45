import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.factories.dossiers import DossierFactory
from trajectoire.demandes import services
from trajectoire.demandes.enums import MotifAnnulation, MotifCloture, MotifRefus, Statut
from trajectoire.demandes.models import DemandeEvent
from trajectoire.demandes.services import SendError
from trajectoire.demandes.workflow import TransitionError
from trajectoire.dossiers.enums import Statut as DossierStatut
from trajectoire.notifications.models import Notification

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def test_sending_to_three_units_makes_three_demandes_and_notifies_each_structure(
    dossier, doctor, smr_units, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demandes = services.send(dossier, smr_units, by=doctor)
    assert [d.statut for d in demandes] == [Statut.ENVOYEE] * 3
    assert {d.structure_id for d in demandes} == {u.structure_id for u in smr_units}
    for member in staff:
        assert Notification.objects.filter(user=member, title__startswith="Nouvelle demande reçue").count() == 1
    dossier.refresh_from_db()
    assert dossier.statut == DossierStatut.TRANSMIS
    assert DemandeEvent.objects.filter(dossier=dossier, action="envoyer").count() == 3


def test_an_incomplete_dossier_cannot_be_sent(doctor, smr_units):
    draft = DossierFactory(sanitaire=True, created_by=doctor, medecin=doctor)
    with pytest.raises(SendError, match="toutes les sections obligatoires"):
        services.send(draft, smr_units, by=doctor)
    assert not draft.demandes.exists()


def test_sending_twice_to_the_same_unit_is_refused_clearly_and_nothing_is_half_sent(dossier, doctor, smr_units):
    services.send(dossier, smr_units[:1], by=doctor)
    with pytest.raises(SendError, match="déjà en cours"):
        services.send(dossier, smr_units, by=doctor)
    assert dossier.demandes.count() == 1


def test_a_unit_of_another_domain_is_refused(dossier, doctor):
    ehpad_unit = UniteFactory()
    with pytest.raises(SendError, match="ne reçoit pas ce type"):
        services.send(dossier, [ehpad_unit], by=doctor)


def test_another_doctor_cannot_send_my_dossier(dossier, smr_units):
    with pytest.raises(SendError, match="Vous ne pouvez pas envoyer"):
        services.send(dossier, smr_units, by=UserFactory(medecin=True))


def test_the_whole_story_complement_accept_confirm_closes_the_others(
    dossier, doctor, smr_units, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a, b, c = services.send(dossier, smr_units, by=doctor)
        services.mark_read(a, staff[0])
        services.ask_complement(a, staff[0], "Merci de préciser le poids.")
        services.answer_complement(a, doctor, "82 kg.")
        services.accept(a, staff[0], TOMORROW)
        services.accept(b, staff[1], TOMORROW + dt.timedelta(days=3))
        services.confirm_admission(a, doctor)
    for d in (a, b, c):
        d.refresh_from_db()
    assert a.statut == Statut.ADMISSION_CONFIRMEE
    assert b.statut == c.statut == Statut.CLOTUREE
    assert b.motif_cloture == c.motif_cloture == MotifCloture.ADMIS_AILLEURS
    # the closed structures are told
    assert Notification.objects.filter(user=staff[1], title__contains="patient admis ailleurs").exists()
    assert Notification.objects.filter(user=staff[2], title__contains="patient admis ailleurs").exists()
    # the timeline has everything, in order, with who and what
    actions = list(a.events.values_list("action", flat=True))
    assert actions == ["envoyer", "lire", "demander_complement", "completer", "accepter", "confirmer_admission"]
    messages = list(a.events.exclude(message="").values_list("message", flat=True))
    assert messages == ["Merci de préciser le poids.", "82 kg."]
    services.record_admission(a, staff[0], TOMORROW)
    a.refresh_from_db()
    assert a.statut == Statut.ADMIS and a.date_entree == TOMORROW


def test_refusal_needs_a_motif_of_the_list_and_details_for_autre(dossier, doctor, smr_units, staff):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    with pytest.raises(TransitionError, match="motif de refus dans la liste"):
        services.refuse(a, staff[0], "pas_envie")
    with pytest.raises(TransitionError, match="Précisez le motif"):
        services.refuse(a, staff[0], MotifRefus.AUTRE, "")
    services.refuse(a, staff[0], MotifRefus.PAS_DE_PLACE, "Pas avant mars.")
    a.refresh_from_db()
    assert a.statut == Statut.REFUSEE and a.motif_refus == MotifRefus.PAS_DE_PLACE
    assert a.events.last().motif == "Absence de place disponible"


def test_a_structure_cannot_act_on_another_structures_demande(dossier, doctor, smr_units, staff):
    _a, b, _ = services.send(dossier, smr_units, by=doctor)
    with pytest.raises(TransitionError, match="Vous ne pouvez pas"):
        services.accept(b, staff[0], TOMORROW)
    b.refresh_from_db()
    assert b.statut == Statut.ENVOYEE


def test_the_sender_cannot_answer_for_the_structure_and_vice_versa(dossier, doctor, smr_units, staff):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    with pytest.raises(TransitionError):
        services.accept(a, doctor, TOMORROW)
    with pytest.raises(TransitionError):
        services.cancel(a, staff[0], MotifAnnulation.DECES)


def test_past_admission_date_is_refused(dossier, doctor, smr_units, staff):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    with pytest.raises(TransitionError, match="passé"):
        services.accept(a, staff[0], timezone.localdate() - dt.timedelta(days=1))


def test_declining_an_offer_cancels_with_its_motif(dossier, doctor, smr_units, staff):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    services.accept(a, staff[0], TOMORROW)
    services.decline_offer(a, doctor)
    a.refresh_from_db()
    assert a.statut == Statut.ANNULEE and a.motif_annulation == MotifAnnulation.OFFRE_DECLINEE


def test_cancel_a_whole_dossier(dossier, doctor, smr_units, staff):
    demandes = services.send(dossier, smr_units, by=doctor)
    services.refuse(demandes[2], staff[2], MotifRefus.HORS_SECTEUR)
    cancelled = services.cancel_dossier(dossier, doctor, MotifAnnulation.RETOUR_DOMICILE)
    assert len(cancelled) == 2
    statuses = sorted(dossier.demandes.values_list("statut", flat=True))
    assert statuses == sorted([Statut.ANNULEE, Statut.ANNULEE, Statut.REFUSEE])


def test_a_waiting_list_demande_can_still_be_accepted(dossier, doctor, smr_units, staff):
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    services.put_on_waiting_list(a, staff[0])
    services.accept(a, staff[0], TOMORROW)
    a.refresh_from_db()
    assert a.statut == Statut.ACCEPTEE and a.date_admission_proposee == TOMORROW


def test_a_structure_member_with_medical_habilitation_may_answer(dossier, doctor, smr_units):
    medical = MembershipFactory(structure=smr_units[0].structure, medical=True).user
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    services.accept(a, medical, TOMORROW)


def test_a_referent_only_member_cannot_answer(dossier, doctor, smr_units):
    referent = MembershipFactory(structure=smr_units[0].structure, referent=True).user
    (a,) = services.send(dossier, smr_units[:1], by=doctor)
    with pytest.raises(TransitionError):
        services.accept(a, referent, TOMORROW)


def test_structure_unrelated_to_the_dossier_sees_nothing(dossier, doctor, smr_units, staff):
    from trajectoire.demandes.permissions import demandes_visible_to
    from trajectoire.dossiers.models import Dossier

    services.send(dossier, smr_units[:2], by=doctor)
    outsider = MembershipFactory(structure=StructureFactory(), admissions=True).user
    assert not demandes_visible_to(outsider).exists()
    assert not Dossier.objects.visible_to(outsider).exists()
    # a receiving structure sees its own demande only, not the other structure's
    assert list(demandes_visible_to(staff[0]).values_list("structure_id", flat=True)) == [smr_units[0].structure_id]
    assert Dossier.objects.visible_to(staff[0]).get() == dossier
