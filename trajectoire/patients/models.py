from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .enums import LienContact, Sexe


class PatientQuerySet(models.QuerySet):
    def visible_to(self, user, within: Q | None = None):
        """Patients the user created, follows as médecin traitant, or has a dossier about.

        One indexed subquery per way of seeing, UNIONed (an OR across the dossiers' LEFT JOIN made
        PostgreSQL walk every patient of the country, docs/performance.md). `within` (a Q on Patient, e.g.
        `Q(pk__in=ids)`): the same rows as `visible_to(user).filter(within)`, each wanted patient checked by
        key in every arm (EXISTS over the UNION, as `Dossier.objects.visible_to`).
        """
        if not user.is_authenticated or not user.is_active or not user.is_professionnel:
            return self.none()
        ways = (Q(created_by=user), Q(medecin_traitant=user), Q(dossiers__created_by=user), Q(dossiers__medecin=user))
        arms = [Patient.objects.filter(way).order_by() for way in ways]
        if within is not None:
            probes = [arm.filter(pk=OuterRef("pk")).values("pk") for arm in arms]
            return self.filter(within).filter(Exists(probes[0].union(*probes[1:])))
        arms = [arm.values("pk") for arm in arms]
        return self.filter(pk__in=arms[0].union(*arms[1:]))


class Patient(models.Model):
    """A person for whom dossiers are written. The five strict INS traits come first."""

    nom_naissance = models.CharField("nom de naissance", max_length=100)
    prenoms = models.CharField(
        "prénom(s) de naissance", max_length=150, help_text="Tous les prénoms, séparés par un espace."
    )
    date_naissance = models.DateField("date de naissance")
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices)
    lieu_naissance_insee = models.CharField(
        "code du lieu de naissance (INSEE)",
        max_length=5,
        blank=True,
        help_text="Code INSEE de la commune de naissance, ou 99xxx pour un pays étranger.",
    )
    nom_usage = models.CharField("nom utilisé", max_length=100, blank=True)
    prenom_usage = models.CharField("prénom utilisé", max_length=100, blank=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        "directory.Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    medecin_traitant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patients_suivis",
        verbose_name="médecin traitant",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patients_crees", verbose_name="créé par"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        verbose_name = "patient"
        ordering = ["nom_naissance", "prenoms"]
        indexes = [models.Index(fields=["nom_naissance", "date_naissance"])]

    def __str__(self) -> str:
        return display_name(self.nom_naissance, self.prenoms, self.nom_usage, self.prenom_usage)

    @property
    def premier_prenom(self) -> str:
        return _premier_prenom(self.prenoms, self.prenom_usage)

    @property
    def nom_affiche(self) -> str:
        return (self.nom_usage or self.nom_naissance).upper()

    def age_le(self, day) -> int:
        """Age in whole years on `day`."""
        born = self.date_naissance
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# The columns `str(patient)` and `display_name` read: lists that show a patient's name load only these.
PATIENT_NAME_FIELDS = ("nom_naissance", "prenoms", "nom_usage", "prenom_usage")


def _premier_prenom(prenoms: str, prenom_usage: str) -> str:
    return prenom_usage or (prenoms.split()[0] if prenoms else "")


def display_name(nom_naissance: str, prenoms: str, nom_usage: str, prenom_usage: str) -> str:
    """« DUPONT Marie »: the name of use (else of birth) in capitals, then the first name of use (else the first
    of the birth first names). `str(patient)`, and the lists that read these four columns without a Patient."""
    return f"{(nom_usage or nom_naissance).upper()} {_premier_prenom(prenoms, prenom_usage)}"


class Contact(models.Model):
    """A family member, a référent or any person to contact about the patient."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="contacts")
    nom = models.CharField("nom", max_length=100)
    prenom = models.CharField("prénom", max_length=100, blank=True)
    lien = models.CharField("lien avec le patient", max_length=20, choices=LienContact.choices)
    est_referent = models.BooleanField("personne référente", default=False)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["-est_referent", "nom"]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}".strip()
