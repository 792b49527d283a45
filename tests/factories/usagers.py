import factory
from django.utils import timezone

from trajectoire.accounts.enums import Kind
from trajectoire.usagers.models import Aidant

from .accounts import UserFactory
from .dossiers import DossierFactory


class FamilleFactory(UserFactory):
    """A usager account (the person or a family member), e-mail confirmed unless `unconfirmed=True`."""

    kind = Kind.USAGER
    profession = ""
    rpps = None
    username = factory.Sequence(lambda n: f"famille{n}@exemple.test")
    email = factory.LazyAttribute(lambda u: u.username)
    email_confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        unconfirmed = factory.Trait(email_confirmed_at=None)


class FamilyDossierFactory(DossierFactory):
    """A Grand Âge draft opened by a family member (référent aidant), no doctor yet."""

    class Meta:
        skip_postgeneration_save = True

    patient = factory.SubFactory(
        "tests.factories.patients.PatientFactory", created_by=factory.SubFactory(FamilleFactory)
    )
    medecin = None

    @factory.post_generation
    def referent(obj, create, extracted, **kwargs):
        if create:
            Aidant.objects.create(
                dossier=obj, user=obj.created_by, is_referent=True, lien="fille", consentement_at=timezone.now()
            )
