import factory
from django.utils import timezone

from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import Demande
from trajectoire.dossiers.models import Section

from .directory import UniteFactory
from .dossiers import DossierFactory


def mark_complete(dossier):
    """Every section of the dossier validated (as a doctor would after filling them)."""
    for definition in dossier.section_defs():
        Section.objects.update_or_create(
            dossier=dossier,
            key=definition.key,
            defaults={"data": {"rempli": True}, "is_valid": True, "is_medical": definition.is_medical},
        )
    return dossier


class ReadyDossierFactory(DossierFactory):
    """A dossier whose required sections are all validated: it can be sent."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def complete(obj, create, extracted, **kwargs):
        if create:
            mark_complete(obj)


class DemandeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demande

    dossier = factory.SubFactory(ReadyDossierFactory)
    unite = factory.SubFactory(UniteFactory)
    structure = factory.LazyAttribute(lambda d: d.unite.structure)
    domain = factory.LazyAttribute(lambda d: d.dossier.domain)
    sent_by = factory.LazyAttribute(lambda d: d.dossier.created_by)
    statut = Statut.ENVOYEE
    sent_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyAttribute(lambda d: d.sent_at)
