from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, When

from trajectoire.directory.enums import Domain

from .enums import ADMISSION_STATUTS, OPEN_STATUTS, MotifAnnulation, MotifCloture, MotifRefus, Statut


class DemandeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(statut__in=OPEN_STATUTS)

    def for_structures(self, structures):
        return self.filter(structure__in=structures)


# 0 for an unread demande, 1 once read: the inbox's first sort key (demandes.views.inbox and the index below).
UNREAD_FIRST = Case(When(read_at__isnull=True, then=0), default=1, output_field=IntegerField())


class Demande(models.Model):
    """A dossier sent to one unit: its own status, answer and timeline."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="demandes")
    unite = models.ForeignKey("directory.Unite", on_delete=models.PROTECT, related_name="demandes")
    # Denormalised from the unit: the inbox filters on it without a join.
    structure = models.ForeignKey("directory.Structure", on_delete=models.PROTECT, related_name="demandes")
    domain = models.CharField("domaine", max_length=20, db_index=True)
    urgente = models.BooleanField("urgente", default=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="demandes_envoyees")
    statut = models.CharField("statut", max_length=25, choices=Statut.choices, default=Statut.ENVOYEE)
    sent_at = models.DateTimeField("envoyée le", db_index=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    answered_at = models.DateTimeField("première réponse le", null=True, blank=True)
    status_changed_at = models.DateTimeField("dernier changement de statut", db_index=True)
    date_admission_proposee = models.DateField("date d’admission proposée", null=True, blank=True)
    date_entree = models.DateField("date d’entrée", null=True, blank=True)
    motif_refus = models.CharField("motif de refus", max_length=30, choices=MotifRefus.choices, blank=True)
    motif_annulation = models.CharField(
        "motif d’annulation", max_length=30, choices=MotifAnnulation.choices, blank=True
    )
    motif_cloture = models.CharField("motif de clôture", max_length=30, choices=MotifCloture.choices, blank=True)
    commentaire = models.TextField("précisions", blank=True)
    relance_count = models.PositiveSmallIntegerField("relances envoyées", default=0)
    last_relance_at = models.DateTimeField("dernière relance", null=True, blank=True)

    objects = DemandeQuerySet.as_manager()

    class Meta:
        verbose_name = "demande"
        ordering = ["-sent_at", "-id"]
        constraints = [
            # Never two live demandes of one dossier to the same unit.
            models.UniqueConstraint(
                fields=["dossier", "unite"],
                condition=Q(statut__in=sorted([*OPEN_STATUTS, *ADMISSION_STATUTS])),
                name="demandes_one_live_demande_per_unit",
            ),
            # Never two admissions for one dossier, whatever the race.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(statut__in=sorted(ADMISSION_STATUTS)),
                name="demandes_one_admission_per_dossier",
            ),
        ]
        indexes = [
            models.Index(fields=["structure", "statut", "sent_at"]),
            # The inbox's order (unread first, urgent first, newest first) read from the index: 65 ms of sorting
            # a busy structure's 7,000 demandes became 0.4 ms on the national volume (docs/performance.md).
            models.Index(
                F("structure"), UNREAD_FIRST, F("urgente").desc(), F("sent_at").desc(), name="demandes_inbox_order"
            ),
            models.Index(fields=["statut", "status_changed_at"]),
            # The API worklist's order (latest status change first) within one structure: with the structure's
            # id written in the query, PostgreSQL may otherwise walk every open demande of the country by
            # status_changed_at until it finds the structure's 21 (1.7 s seen on the national volume).
            models.Index(fields=["structure", "status_changed_at", "id"], name="demandes_worklist_order"),
            # Usual delays (delais.delais_habituels: the answered demandes of ≈ 50 structures over 90 days) read
            # from the index alone, instead of every demande of each structure from the table (docs/performance.md).
            models.Index(
                fields=["structure", "answered_at", "sent_at"],
                condition=Q(answered_at__isnull=False),
                name="demandes_delai_habituel",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande n° {self.pk} ({self.get_statut_display()})"

    @property
    def is_open(self) -> bool:
        return self.statut in OPEN_STATUTS

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def domain_label(self) -> str:
        """« Grand Âge », not `grand_age` (the field keeps the dossier's domain code)."""
        from trajectoire.directory.enums import Domain

        return Domain(self.domain).label if self.domain in Domain.values else self.domain


class DemandeEvent(models.Model):
    """One line of the timeline: who, when, what, with which motif."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="events")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="demande_events")
    at = models.DateTimeField("date", db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    action = models.CharField("action", max_length=30)
    label = models.CharField("libellé", max_length=200)
    from_statut = models.CharField(max_length=25, choices=Statut.choices, blank=True)
    to_statut = models.CharField(max_length=25, choices=Statut.choices)
    motif = models.CharField("motif", max_length=200, blank=True)
    message = models.TextField("message", blank=True)
    date = models.DateField("date associée", null=True, blank=True)

    class Meta:
        verbose_name = "événement de demande"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"


class AlerteInactivite(models.Model):
    """ "Votre dossier est-il toujours d'actualité ?": sent after 6 months without change; archive 2 months later."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="alerte_inactivite")
    alerted_at = models.DateTimeField("alerte envoyée le")

    class Meta:
        verbose_name = "alerte d’inactivité"
        verbose_name_plural = "alertes d’inactivité"

    def __str__(self) -> str:
        return f"{self.dossier} — {self.alerted_at:%d/%m/%Y}"


class DelaiCible(models.Model):
    """The administrator's override of a target delay of first answer (settings.DELAIS_CIBLES_HEURES otherwise)."""

    domain = models.CharField("domaine", max_length=20, choices=Domain.choices)
    urgente = models.BooleanField("demande urgente", default=False)
    heures = models.PositiveIntegerField(
        "délai cible (heures)",
        validators=[MinValueValidator(1)],
        help_text="Choix de l’instance, pas une règle nationale.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "délai cible de réponse"
        verbose_name_plural = "délais cibles de réponse"
        constraints = [models.UniqueConstraint(fields=["domain", "urgente"], name="demandes_one_target_per_case")]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}{' (urgente)' if self.urgente else ''} : {self.heures} h"
