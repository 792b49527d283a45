import factory

from trajectoire.directory.enums import Domain, StructureType
from trajectoire.dossiers.enums import TypeSejour
from trajectoire.dossiers.models import Dossier

from .patients import PatientFactory


class DossierFactory(factory.django.DjangoModelFactory):
    """A Grand Âge draft by default; `sanitaire=True` / `tnd=True` for the other domains."""

    class Meta:
        model = Dossier

    patient = factory.SubFactory(PatientFactory)
    created_by = factory.LazyAttribute(lambda d: d.patient.created_by)
    medecin = factory.LazyAttribute(lambda d: d.created_by)
    domain = Domain.GRAND_AGE
    prise_en_charge = StructureType.EHPAD
    type_sejour = TypeSejour.PERMANENT
    numero = factory.Sequence(lambda n: f"GA-2026-{n:06d}")

    class Params:
        sanitaire = factory.Trait(
            domain=Domain.SANITAIRE, prise_en_charge=StructureType.SMR, mention_smr="ME051", type_sejour=""
        )
        tnd = factory.Trait(
            domain=Domain.TND,
            prise_en_charge=StructureType.PCO,
            type_sejour="",
            tranche_tnd="pco_0_6",
            patient=factory.SubFactory(PatientFactory, enfant=True),
        )
