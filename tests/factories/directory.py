from decimal import Decimal

import factory
from django.utils import timezone

from trajectoire.directory.enums import Domain, StructureType
from trajectoire.directory.geo import normalize
from trajectoire.directory.models import Commune, PrixEhpad, Structure, Unite


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("insee",)

    insee = factory.Sequence(lambda n: f"{1000 + n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    search_name = factory.LazyAttribute(lambda c: normalize(c.name))
    postal_codes = "01000"
    departement = "01"
    latitude = 46.2
    longitude = 5.22


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ("finess",)

    finess = factory.Sequence(lambda n: f"99{n:07d}")
    name = factory.Sequence(lambda n: f"EHPAD Les Tilleuls {n}")
    category_code = "500"
    category_label = "Etablissement d'hébergement pour personnes âgées dépendantes"
    structure_type = StructureType.EHPAD
    domain = Domain.GRAND_AGE
    departement = "01"
    city = "Bourg-en-Bresse"
    postal_code = "01000"
    latitude = 46.2
    longitude = 5.22


class UniteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unite

    structure = factory.SubFactory(StructureFactory)
    name = "Hébergement permanent"
    structure_type = factory.LazyAttribute(lambda u: u.structure.structure_type)
    domain = factory.LazyAttribute(lambda u: u.structure.domain)
    capacity = 80
    free_places = 2
    # Declared now by the référent (a search trusts free places declared within FREE_PLACES_MAX_AGE_DAYS).
    free_places_declared_at = factory.LazyAttribute(lambda u: timezone.now() if u.free_places is not None else None)
    free_places_source = factory.LazyAttribute(lambda u: "referent" if u.free_places is not None else "")


class PrixEhpadFactory(factory.django.DjangoModelFactory):
    """CNSA prices: 70 €/day single room, GIR 5-6 tariff 5.50 € → 2,296 € a month (2,129 + 167)."""

    class Meta:
        model = PrixEhpad
        django_get_or_create = ("finess",)

    finess = factory.Sequence(lambda n: f"98{n:07d}")
    heb_perm_seule = Decimal("70.00")
    heb_perm_double = Decimal("62.00")
    tarif_gir_12 = Decimal("21.00")
    tarif_gir_34 = Decimal("13.30")
    tarif_gir_56 = Decimal("5.50")
