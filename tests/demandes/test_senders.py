"""`permissions.senders`: author, doctor and the registered recipients, the two accounts read in one query."""

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.dossiers import DossierFactory
from trajectoire.demandes.permissions import senders
from trajectoire.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_author_and_doctor_in_one_query_in_their_order(django_assert_num_queries):
    author, doctor = UserFactory(), UserFactory(medecin=True)
    dossier = Dossier.objects.get(pk=DossierFactory(created_by=author, medecin=doctor).pk)
    with django_assert_num_queries(2):  # the two accounts, the family's aidants (usagers' hook)
        found = senders(dossier)
    assert found == [author, doctor]
    assert dossier.created_by == author and dossier.medecin == doctor  # cached on the dossier, as before
    with django_assert_num_queries(1):  # already loaded: the aidants only
        assert senders(dossier) == [author, doctor]


def test_one_person_or_no_doctor():
    author = UserFactory(medecin=True)
    same = Dossier.objects.get(pk=DossierFactory(created_by=author, medecin=author).pk)
    assert senders(same) == [author]
    alone = Dossier.objects.get(pk=DossierFactory(created_by=author, medecin=None).pk)
    assert senders(alone) == [author]
    loaded = Dossier.objects.select_related("created_by", "medecin").get(pk=alone.pk)
    assert senders(loaded) == [author]
