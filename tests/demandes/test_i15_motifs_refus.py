"""Refusal motifs: one fixed list per domain, defined in one place (demandes.enums.MOTIFS_REFUS)."""

import pytest

from tests.factories.demandes import DemandeFactory
from tests.factories.dossiers import DossierFactory
from trajectoire.demandes import services
from trajectoire.demandes.enums import MOTIFS_REFUS, MotifRefus, Statut
from trajectoire.demandes.forms import RefuseForm
from trajectoire.demandes.workflow import TransitionError
from trajectoire.directory.enums import Domain

pytestmark = pytest.mark.django_db


def test_every_domain_has_its_list_of_stored_motifs_ending_with_autre():
    assert set(MOTIFS_REFUS) == set(Domain)
    for motifs in MOTIFS_REFUS.values():
        assert set(motifs) <= set(MotifRefus) and motifs[-1] == MotifRefus.AUTRE
    assert MotifRefus.DATE_TROP_TARDIVE not in MOTIFS_REFUS[Domain.TND]


def test_the_form_offers_the_motifs_of_the_demandes_domain():
    tnd = [value for value, _ in RefuseForm(domain=Domain.TND).fields["motif"].choices if value]
    assert tnd == [m.value for m in MOTIFS_REFUS[Domain.TND]]
    assert not RefuseForm({"motif": "date_trop_tardive"}, domain=Domain.TND).is_valid()
    assert RefuseForm({"motif": "date_trop_tardive"}, domain=Domain.GRAND_AGE).is_valid()


def test_the_service_refuses_a_motif_of_another_domain():
    demande = DemandeFactory(dossier=DossierFactory(tnd=True), statut=Statut.ENVOYEE)
    staff = demande.dossier.created_by
    with pytest.raises(TransitionError, match="n’est pas proposé pour ce type de demande"):
        services.refuse(demande, staff, MotifRefus.DATE_TROP_TARDIVE)
