"""`visible_to(user, within=…)` (the API's _include path) returns exactly `visible_to(user).filter(within)`;
`get_visible(user, pk)` (the dossier pages) answers as `visible_to(user).get(pk=pk)`.

The restricted form applies `within` inside each way of seeing (so PostgreSQL probes a few keys per arm);
these tests pin that it sees the same rows as the unrestricted door, for every way of seeing.
"""

from __future__ import annotations

import pytest
from django.db.models import Q

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import DemandeFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.patients import PatientFactory
from tests.factories.usagers import FamilyDossierFactory
from trajectoire.api.resources.referral import visible_patients
from trajectoire.dossiers.models import Dossier
from trajectoire.patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One user of each way of seeing, plus dossiers and patients nobody of them sees."""
    author, doctor, traitant, creator = (UserFactory(medecin=True) for _ in range(4))
    receiver = MembershipFactory(admissions=True).user
    medical = MembershipFactory(medical=True).user
    family = FamilyDossierFactory()
    users = {
        "patient creator": creator,
        "médecin traitant": traitant,
        "dossier author": author,
        "dossier doctor": doctor,
        "receiving structure (admissions)": receiver,
        "receiving structure (medical)": medical,
        "family (aidant)": family.created_by,
        "stranger": UserFactory(medecin=True),
    }
    PatientFactory(created_by=creator)
    PatientFactory(created_by=UserFactory(medecin=True), medecin_traitant=traitant)
    DossierFactory(created_by=author)
    DossierFactory(medecin=doctor)
    for member in (receiver, medical):
        DemandeFactory(
            structure=member.memberships.get().structure, unite__structure=member.memberships.get().structure
        )
    DemandeFactory()  # sent elsewhere
    DossierFactory.create_batch(2)  # seen by nobody above
    return users


def _every_subset(pks):
    pks = sorted(pks)
    return [set(), set(pks), set(pks[::2]), set(pks[1::2]), {pks[0]}]


def _assert_restricted_matches(model, user, ids, way) -> None:
    within = Q(pk__in=ids)
    expected = set(model.objects.visible_to(user).filter(within).values_list("pk", flat=True))
    assert set(model.objects.visible_to(user, within=within).values_list("pk", flat=True)) == expected, way


def test_restricted_dossiers_match_the_door_filtered_afterwards(world):
    all_pks = set(Dossier.objects.values_list("pk", flat=True))
    for way, user in world.items():
        for ids in _every_subset(all_pks):
            _assert_restricted_matches(Dossier, user, ids, way)
        if way != "stranger" and way not in ("patient creator", "médecin traitant"):
            assert Dossier.objects.visible_to(user).exists(), way  # each way of seeing is exercised


def test_restricted_patients_match_the_door_filtered_afterwards(world):
    all_pks = set(Patient.objects.values_list("pk", flat=True))
    for way, user in world.items():
        for ids in _every_subset(all_pks):
            _assert_restricted_matches(Patient, user, ids, way)
            expected = set(visible_patients(user).filter(pk__in=ids).values_list("pk", flat=True))
            assert set(visible_patients(user, ids=ids).values_list("pk", flat=True)) == expected, way
        if way != "stranger":
            assert visible_patients(user).exists(), way


def test_the_union_form_keeps_who_sees_which_patient(world):
    """The UNION rewrite of Patient.visible_to: same answer as the former OR across the dossiers join."""
    for way, user in world.items():
        if not user.is_professionnel:
            assert not Patient.objects.visible_to(user).exists(), way
            continue
        former = Patient.objects.filter(
            Q(created_by=user) | Q(medecin_traitant=user) | Q(dossiers__created_by=user) | Q(dossiers__medecin=user)
        ).distinct()
        assert set(Patient.objects.visible_to(user)) == set(former), way


@pytest.mark.parametrize("includes", [["Task:patient"], ["Task:focus", "Task:patient"]])
def test_included_patients_are_exactly_the_visible_ones(includes):
    """_include=Task:patient takes the patients of the visible dossiers as seen, and checks only the others."""
    from types import SimpleNamespace

    from trajectoire.api.resources.task import _included

    creator = UserFactory(medecin=True)
    seen_dossier = DossierFactory(created_by=creator)  # visible dossier: its patient is visible
    own_patient = PatientFactory(created_by=creator)  # a patient the user created, in someone else's dossier
    rows = [
        DemandeFactory(dossier=seen_dossier),
        DemandeFactory(dossier__patient=own_patient),
        DemandeFactory(),  # neither the dossier nor the patient
    ]
    ids = {d.dossier.patient_id for d in rows}
    for user, expected in ((creator, {seen_dossier.patient_id, own_patient.pk}), (UserFactory(medecin=True), set())):
        ctx = SimpleNamespace(user=user, client=SimpleNamespace(client_id="test"))
        events = []
        got = {int(r["id"]) for r in _included(ctx, rows, includes, events) if r["resourceType"] == "Patient"}
        assert got == expected == set(visible_patients(user).filter(pk__in=ids).values_list("pk", flat=True))
        kinds = {"Task:focus": "fhir.servicerequest", "Task:patient": "fhir.patient"}
        assert [e.object_type for e in events] == [kinds[i] for i in includes]
        assert not any(e.pk for e in events)  # unsaved: the Bundle writes them with its page's


@pytest.mark.parametrize("includes", [["Task:focus"], ["Task:patient"], ["Task:focus", "Task:patient"]])
def test_included_dossiers_and_patients_are_the_visible_ones_for_every_way_of_seeing(world, includes):
    """The dossiers of demandes sent to the user's receiving structures are taken as seen (the demandes
    visibility hook) without a query: for every way of seeing, the same as the unrestricted doors."""
    from types import SimpleNamespace

    from trajectoire.api.resources.task import _included
    from trajectoire.demandes.models import Demande

    rows = list(Demande.objects.select_related("dossier"))
    dossier_ids = {d.dossier_id for d in rows}
    patient_ids = {d.dossier.patient_id for d in rows}
    for way, user in world.items():
        ctx = SimpleNamespace(user=user, client=SimpleNamespace(client_id="test"))
        got = _included(ctx, rows, includes, [])
        if "Task:focus" in includes:
            focus = {int(r["id"]) for r in got if r["resourceType"] == "ServiceRequest"}
            assert focus == set(
                Dossier.objects.visible_to(user).filter(pk__in=dossier_ids).values_list("pk", flat=True)
            ), way
        if "Task:patient" in includes:
            patients = {int(r["id"]) for r in got if r["resourceType"] == "Patient"}
            assert patients == set(visible_patients(user).filter(pk__in=patient_ids).values_list("pk", flat=True)), way


def test_get_visible_answers_as_the_door_for_every_dossier_and_way(world):
    """`Dossier.objects.get_visible(user, pk)` (the dossier pages) == `visible_to(user).get(pk=pk)`, including
    for an author or doctor whose account was deactivated (the row's names then open nothing)."""
    world["deactivated author"] = UserFactory(medecin=True, is_active=False)
    DossierFactory(created_by=world["deactivated author"])
    for way, user in world.items():
        seen = set(Dossier.objects.visible_to(user).values_list("pk", flat=True))
        for pk in Dossier.objects.values_list("pk", flat=True):
            try:
                got = Dossier.objects.get_visible(user, pk).pk
            except Dossier.DoesNotExist:
                got = None
            assert got == (pk if pk in seen else None), (way, pk)
    with pytest.raises(Dossier.DoesNotExist):
        Dossier.objects.get_visible(world["dossier author"], 10**9)


def test_is_sender_answers_as_the_senders_queryset_for_every_dossier_and_way(world):
    """`demandes.permissions.is_sender` answers from the row for the author and doctor (the dossier page's panel):
    the same answer as `sender_dossiers(user)` for every way and dossier, a deactivated author included."""
    from trajectoire.demandes.permissions import is_sender, sender_dossiers

    world["deactivated author"] = UserFactory(medecin=True, is_active=False)
    DossierFactory(created_by=world["deactivated author"])
    for way, user in world.items():
        sends = set(sender_dossiers(user).values_list("pk", flat=True))
        for dossier in Dossier.objects.all():
            assert is_sender(user, dossier) == (dossier.pk in sends), (way, dossier.pk)


def test_sent_demandes_filter_keeps_the_senders_demandes_for_every_way(world):
    """`demandes.permissions.sent_demandes_q` (« Mes demandes »: the two ways read on the demande's dossier join)
    keeps exactly the demandes of `sender_dossiers(user)`, once each: author and doctor being the same person, a
    family (hook: the subquery), a deactivated author, a receiving structure and a stranger (none)."""
    from trajectoire.demandes.models import Demande
    from trajectoire.demandes.permissions import sender_dossiers, sent_demandes_q

    world["deactivated author"] = UserFactory(medecin=True, is_active=False)
    DossierFactory(created_by=world["deactivated author"])
    DossierFactory(created_by=world["dossier author"], medecin=world["dossier author"])
    for dossier in Dossier.objects.all():
        DemandeFactory.create_batch(2, dossier=dossier)
    for way, user in world.items():
        expected = sorted(Demande.objects.filter(dossier__in=sender_dossiers(user).values("pk")).values_list("pk"))
        assert sorted(Demande.objects.filter(sent_demandes_q(user)).values_list("pk")) == expected, way
        assert bool(expected) == (way in ("dossier author", "dossier doctor", "family (aidant)")), way
