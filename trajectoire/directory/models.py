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
    # Where the unit's professionals go (home care): "D:01" for a département, "C:01053" for a commune (INSEE);
    # empty: no territorial limit declared. From the ROR (zone d'intervention).
    zone_intervention = models.JSONField("zone d’intervention", default=list, blank=True)
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
    annee_source = models.PositiveSmallIntegerField("année des prix (fichier source CNSA)", null=True, blank=True)

    class Meta:
        verbose_name = "prix EHPAD (CNSA)"
        verbose_name_plural = "prix EHPAD (CNSA)"

    def __str__(self) -> str:
        return f"Prix CNSA {self.finess}"


class Professionnel(models.Model):
    """A health professional of the Annuaire Santé (public extract PS_LibreAcces_Personne_activite, ANS).

    `identifiant` is the RPPS number (type 8) or the ADELI number (type 0); codes are kept as published
    (profession: TRE_G15, savoir-faire: TRE_R38/R39…): other apps map them to their own lists.
    """

    id_type = models.CharField("type d’identifiant (8 RPPS, 0 ADELI)", max_length=2)
    identifiant = models.CharField("identifiant (RPPS ou ADELI)", max_length=11, db_index=True)
    identification_nationale = models.CharField("identification nationale", max_length=12, unique=True)
    civilite = models.CharField("civilité", max_length=10, blank=True)
    civilite_exercice = models.CharField("civilité d’exercice", max_length=10, blank=True)
    nom = models.CharField("nom d’exercice", max_length=150)
    prenom = models.CharField("prénom d’exercice", max_length=150, blank=True)
    search_name = models.CharField("nom normalisé pour la recherche", max_length=301, db_index=True)
    profession_code = models.CharField("code profession", max_length=4, blank=True, db_index=True)
    profession_label = models.CharField("profession", max_length=150, blank=True)
    savoir_faire_code = models.CharField("code savoir-faire", max_length=10, blank=True)
    savoir_faire_label = models.CharField("savoir-faire (spécialité)", max_length=150, blank=True)
    mssante = models.EmailField("messagerie sécurisée MSSanté", blank=True)
    updated_at = models.DateTimeField("importé le", default=timezone.now)

    class Meta:
        verbose_name = "professionnel de l’Annuaire Santé"
        verbose_name_plural = "professionnels de l’Annuaire Santé"
        ordering = ["nom", "prenom"]

    def __str__(self) -> str:
        title = "Dr " if self.civilite_exercice in ("DR", "PR") else ""
        return f"{title}{self.prenom} {self.nom}".strip()


class LieuExercice(models.Model):
    """A place where a professional practises (one row of the extract): a structure by FINESS or SIRET."""

    professionnel = models.ForeignKey(Professionnel, on_delete=models.CASCADE, related_name="lieux")
    cle = models.CharField("clé du lieu dans l’extraction", max_length=120)
    mode_exercice = models.CharField("mode d’exercice (L, S, B)", max_length=2, blank=True)
    finess_site = models.CharField("FINESS du site", max_length=9, blank=True, db_index=True)
    finess_ej = models.CharField("FINESS juridique", max_length=9, blank=True)
    siret = models.CharField("SIRET du site", max_length=14, blank=True)
    raison_sociale = models.CharField("raison sociale du site", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune_code = models.CharField("code commune (INSEE)", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=150, blank=True)
    email = models.EmailField("adresse électronique du site", blank=True)
    seen_at = models.DateTimeField("vu dans l’import du", default=timezone.now)

    class Meta:
        verbose_name = "lieu d’exercice"
        verbose_name_plural = "lieux d’exercice"
        constraints = [models.UniqueConstraint(fields=["professionnel", "cle"], name="directory_lieu_unique")]

    def __str__(self) -> str:
        return self.raison_sociale or self.commune or self.cle
