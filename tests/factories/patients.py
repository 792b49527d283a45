import datetime

import factory

from trajectoire.patients.enums import Sexe
from trajectoire.patients.models import Patient

from .accounts import UserFactory


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    nom_naissance = factory.Faker("last_name", locale="fr_FR")
    prenoms = factory.Faker("first_name", locale="fr_FR")
    date_naissance = datetime.date(1938, 5, 12)
    sexe = Sexe.FEMININ
    lieu_naissance_insee = "69123"
    created_by = factory.SubFactory(UserFactory)

    class Params:
        enfant = factory.Trait(date_naissance=datetime.date(2022, 3, 1))
