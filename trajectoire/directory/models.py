from django.db import models
from django.utils import timezone

from .enums import DescriptionSource, Domain, PlacesSource, StructureType


class Commune(models.Model):
    """A French commune (INSEE code), with its postal codes and a reference point (WGS84)."""

    insee = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=150)
    search_name = models.CharField("nom normalisé pour la recherche", max_length=150, db_index=True)
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True, db_index=True)
    departement = models.CharField("département", max_length=3, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self) -> str:
        first_postal = self.postal_codes.split(",")[0] if self.postal_codes else self.departement
        return f"{self.name} ({first_postal})"


class Structure(models.Model):
    """An establishment (FINESS géographique) able to receive demandes through its units."""

    finess = models.CharField("n° FINESS établissement", max_length=9, unique=True)
    finess_ej = models.CharField("n° FINESS entité juridique", max_length=9, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    name = models.CharField("nom", max_length=255)
    long_name = models.CharField("raison sociale longue", max_length=255, blank=True)
    category_code = models.CharField("catégorie FINESS", max_length=4, db_index=True)
    category_label = models.CharField("libellé de catégorie", max_length=255, blank=True)
    structure_type = models.CharField(
        "type de structure", max_length=30, choices=StructureType.choices, blank=True, db_index=True
    )
    domain = models.CharField("domaine", max_length=20, choices=Domain.choices, blank=True, db_index=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=150, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    departement = models.CharField("département", max_length=3, blank=True, db_index=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("courriel", blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    habilitation_aide_sociale = models.BooleanField("habilitée à l’aide sociale", default=False)
    is_active = models.BooleanField("active", default=True)
    updated_at = models.DateTimeField("mise à jour", default=timezone.now)

    class Meta:
        verbose_name = "structure"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["structure_type", "latitude", "longitude"]),
            models.Index(fields=["latitude", "longitude"], name="directory_structure_latlon"),
        ]

    def __str__(self) -> str:
        return self.name


class Unite(models.Model):
    """A unit of a structure: what demandes are addressed to (e.g. an EHPAD's Alzheimer unit)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="unites")
    name = models.CharField("nom de l’unité", max_length=255)
    structure_type = models.CharField(
        "type de prise en charge", max_length=30, choices=StructureType.choices, db_index=True
    )
    domain = models.CharField("domaine", max_length=20, choices=Domain.choices, db_index=True)
    mentions_smr = models.JSONField("mentions SMR", default=list, blank=True)
    capabilities = models.JSONField("prises en charge possibles (codes du thésaurus)", default=list, blank=True)
    age_min = models.PositiveSmallIntegerField("âge minimal", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("âge maximal", null=True, blank=True)
    capacity = models.PositiveIntegerField("capacité (places)", null=True, blank=True)
    free_places = models.PositiveIntegerField("places disponibles", null=True, blank=True)
    free_places_declared_at = models.DateTimeField("places déclarées le", null=True, blank=True)
    free_places_source = models.CharField(
        "places déclarées par", max_length=20, choices=PlacesSource.choices, blank=True, default=""
    )
    is_active = models.BooleanField("active", default=True)
    # Who last described the unit and when: a ROR import does not overwrite a more recent référent's edit.
    description_source = models.CharField(
        "description fournie par", max_length=20, choices=DescriptionSource.choices, default=DescriptionSource.FINESS
    )
    description_updated_at = models.DateTimeField("description mise à jour le", null=True, blank=True)
    # "principale" for the unit the FINESS import creates, "ror-<HealthcareService id>" for the ROR import (upsert
    # keys); NULL for units added by référents.
    code = models.CharField(  # noqa: DJ001 (NULLs are distinct in the unique constraint)
        "code d’import", max_length=30, null=True, blank=True, default=None
    )

    class Meta:
        verbose_name = "unité"
        ordering = ["structure_id", "name"]
        constraints = [models.UniqueConstraint(fields=["structure", "code"], name="directory_unite_code_unique")]

    def __str__(self) -> str:
        return f"{self.structure.name} — {self.name}"


class PrixEhpad(models.Model):
    """CNSA prices of an EHPAD (keyed by FINESS ET, so prices and FINESS may be imported in any order).

    Daily prices in euros: accommodation (hébergement) per room type and stay, and dependency tariffs per GIR.
    """

    finess = models.CharField("n° FINESS établissement", max_length=9, unique=True)
    heb_perm_seule = models.DecimalField("permanent, chambre seule", max_digits=7, decimal_places=2, null=True)
    heb_perm_double = models.DecimalField("permanent, chambre double", max_digits=7, decimal_places=2, null=True)
    heb_perm_seule_as = models.DecimalField(
        "permanent, chambre seule, aide sociale", max_digits=7, decimal_places=2, null=True
    )
    heb_perm_double_as = models.DecimalField(
        "permanent, chambre double, aide sociale", max_digits=7, decimal_places=2, null=True
    )
    heb_temp_seule = models.DecimalField("temporaire, chambre seule", max_digits=7, decimal_places=2, null=True)
    heb_temp_double = models.DecimalField("temporaire, chambre double", max_digits=7, decimal_places=2, null=True)
    heb_temp_seule_as = models.DecimalField(
        "temporaire, chambre seule, aide sociale", max_digits=7, decimal_places=2, null=True
    )
    heb_temp_double_as = models.DecimalField(
        "temporaire, chambre double, aide sociale", max_digits=7, decimal_places=2, null=True
    )
    tarif_gir_12 = models.DecimalField("tarif dépendance GIR 1-2", max_digits=7, decimal_places=2, null=True)
    tarif_gir_34 = models.DecimalField("tarif dépendance GIR 3-4", max_digits=7, decimal_places=2, null=True)
    tarif_gir_56 = models.DecimalField("tarif dépendance GIR 5-6", max_digits=7, decimal_places=2, null=True)
    prestations = models.TextField("autres prestations incluses", blank=True)
    source_updated_at = models.DateTimeField("date de mise à jour CNSA", null=True, blank=True)

    class Meta:
        verbose_name = "prix EHPAD (CNSA)"
        verbose_name_plural = "prix EHPAD (CNSA)"

    def __str__(self) -> str:
        return f"Prix CNSA {self.finess}"
