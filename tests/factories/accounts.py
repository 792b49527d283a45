import factory
from django.utils import timezone

from trajectoire.accounts.enums import Kind, Profession
from trajectoire.accounts.models import Membership, User
from trajectoire.accounts.validators import luhn_is_valid


def _rpps_sequence(n: int) -> str:
    """A valid fictitious RPPS (Luhn) for the n-th professional."""
    base = 1980000000 + n * 10
    for check in range(10):
        candidate = f"{base // 10}{n % 10}{check}"[-11:].rjust(11, "1")
        if luhn_is_valid(candidate):
            return candidate
    raise AssertionError("unreachable")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    kind = Kind.PROFESSIONNEL
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@exemple.test")
    password = factory.django.Password("un-Mot-de-passe-solide-42")

    class Params:
        medecin = factory.Trait(profession=Profession.MEDECIN)
        usager = factory.Trait(kind=Kind.USAGER, profession="", rpps=None)
        strong_auth = factory.Trait(strong_auth_at=factory.LazyFunction(timezone.now))

    rpps = factory.Sequence(_rpps_sequence)
    username = factory.LazyAttribute(lambda u: u.rpps or f"usager{id(u)}@exemple.test")
    profession = Profession.MEDECIN


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory("tests.factories.directory.StructureFactory")

    class Params:
        admissions = factory.Trait(is_admissions=True)
        medical = factory.Trait(is_medical=True)
        referent = factory.Trait(is_referent=True)
