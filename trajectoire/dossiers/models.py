from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from trajectoire.directory.enums import Domain, MentionSMR, StructureType

from .enums import Statut, TrancheTND, TypeSejour


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user, within: Q | None = None):
        """The only door to dossiers (see `access.visibility_q`): others get a 404.

        `within` (a Q on Dossier, e.g. `Q(pk__in=ids)`): the same rows as `visible_to(user).filter(within)`,
        for a few known dossiers (the API's `_include`), checked key by key instead of listing first every
        dossier the user sees (every dossier ever sent to a structure).
        """
        from .access import visibility_q

        return self._visible(visibility_q(user), within)

    def _visible(self, q: Q | None, within: Q | None = None):
        if q is None:
            return self.none()
        arms = [Dossier.objects.filter(part).order_by() for part in _or_parts(q)]
        if within is not None:
            # EXISTS over the UNION of the arms, each probed by primary key: PostgreSQL can neither flatten nor
            # hash an EXISTS over a UNION, so it checks each wanted row per arm whatever its row estimates (a
            # restriction inside each arm still let it hash a busy structure's 7,000 demandes, docs/performance.md).
            probes = [arm.filter(pk=OuterRef("pk")).values("pk") for arm in arms]
            return self.filter(within).filter(Exists(probes[0].union(*probes[1:]) if len(probes) > 1 else probes[0]))
        # One indexed subquery per way of seeing a dossier, UNIONed: an OR across joins made PostgreSQL
        # sort every dossier of the country to find a doctor's five latest (docs/performance.md).
        parts = [arm.values("pk") for arm in arms]
        return self.filter(pk__in=parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0])

    def recent_visible(self, user, n: int):
        """`visible_to(user)` in its order (last updated first), its first `n` rows: the `n` latest of each way of
        seeing a dossier, then the `n` latest of those (PostgreSQL). A busy structure's doctor sees every dossier
        ever sent to it (6,600 for the busiest of the national volume): ordering all of them by date to keep
        five made PostgreSQL hash them against every dossier of the country (≈ 460 ms, the dashboard's p95,
        docs/performance.md); each way's own five cost an index walk, or the structure's dossiers alone.
        Other databases (SQLite, development) take the plain query: same rows."""
        from django.db import connections

        from .access import visibility_q

        q = visibility_q(user)
        if q is None:
            return self.none()
        order, parts = ("-updated_at", "-pk"), _or_parts(q)
        if (
            not any(map(_through_relation, parts))
            or not connections[self.db].features.supports_slicing_ordering_in_compound
        ):
            return self._visible(q).order_by(*order)[:n]  # own columns only (most doctors): one index walk
        arms = [_latest(part, order, n) for part in parts]
        return self.filter(pk__in=arms[0].union(*arms[1:]) if len(arms) > 1 else arms[0]).order_by(*order)[:n]

    def get_visible(self, user, pk):
        """`visible_to(user).get(pk=pk)`, without building the whole door for the people the row itself names.

        The author and the named doctor see their dossier by the first two alternatives of `visibility_q`
        (whatever the hooks add): the row read by key answers for them. Anyone else is checked for this key
        alone (`within=`). Raises DoesNotExist as `get` does (a 404 for the views), also when the row exists
        but is not visible.
        """
        dossier = self.get(pk=pk)
        ensure_visible(user, dossier)
        return dossier


def ensure_visible(user, dossier: "Dossier") -> None:
    """Raises Dossier.DoesNotExist unless `user` sees this dossier (read already): from the row for its author and
    named doctor, by a query on this key alone for anyone else (`get_visible`)."""
    from .access import named_on

    if user.is_active and named_on(user, dossier):
        return
    if not Dossier.objects.visible_to(user, within=Q(pk=dossier.pk)).exists():
        raise Dossier.DoesNotExist("Dossier invisible pour cet utilisateur.")


def _latest(part: Q, order: tuple, n: int):
    """The pks of the `n` latest dossiers of one way of seeing them. A way through a relation (a structure's
    demandes) is a semi-join, so a dossier counts once however many demandes it has; a way on the dossier's own
    columns (author, named doctor) reads its index in date order."""
    rows = Dossier.objects.filter(part)
    if _through_relation(part):
        rows = Dossier.objects.filter(pk__in=rows.values("pk"))
    return rows.order_by(*order).values("pk")[:n]


def _through_relation(q: Q) -> bool:
    return any(_through_relation(child) if isinstance(child, Q) else "__" in child[0] for child in q.children)


def _or_parts(q: Q) -> list[Q]:
    """The alternatives of an OR (nested ORs flattened); any other Q is one alternative."""
    if q.connector != Q.OR or q.negated:
        return [q]
    parts = []
    for child in q.children:
        parts += _or_parts(child) if isinstance(child, Q) else [Q(child)]
    return parts


class Dossier(models.Model):
    """An orientation dossier for one patient in one domain, made of sections (see `sections.py`)."""

    numero = models.CharField("numéro de dossier", max_length=20, unique=True, null=True, blank=True)
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="dossiers")
    domain = models.CharField("domaine", max_length=20, choices=Domain.choices)
    prise_en_charge = models.CharField("prise en charge demandée", max_length=30, choices=StructureType.choices)
    type_sejour = models.CharField("type de séjour", max_length=20, choices=TypeSejour.choices, blank=True)
    mention_smr = models.CharField("mention SMR", max_length=30, choices=MentionSMR.choices, blank=True)
    tranche_tnd = models.CharField("tranche d’âge TND", max_length=10, choices=TrancheTND.choices, blank=True)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossiers_crees", verbose_name="auteur"
    )
    medecin = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers_medicaux",
        verbose_name="médecin responsable de la partie médicale",
    )
    access_code_hash = models.CharField("code d’accès (empreinte)", max_length=128, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier"
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["created_by", "-updated_at"]), models.Index(fields=["medecin", "-updated_at"])]

    def __str__(self) -> str:
        return self.numero or f"Dossier {self.pk}"

    def section_defs(self):
        from .sections import definitions_for

        return definitions_for(self)

    def sections_status(self) -> list:
        """One `SectionStatus` per section of this dossier's domain, in order."""
        from .sections import statuses

        return statuses(self)

    def is_ready_to_send(self) -> bool:
        """True only when every required section has been validated."""
        return all(s.is_valid for s in self.sections_status() if s.definition.required)

    @property
    def libelle(self) -> str:
        parts = [self.get_prise_en_charge_display()]
        if self.mention_smr:
            parts.append(f"mention {self.get_mention_smr_display().lower()}")
        if self.type_sejour:
            parts.append(self.get_type_sejour_display().lower())
        if self.tranche_tnd:
            parts = [self.get_tranche_tnd_display()]
        return " — ".join(parts)


class Section(models.Model):
    """The saved input of one section: kept even when invalid (draft), validated explicitly."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField("section", max_length=40)
    data = models.JSONField("saisie", default=dict, blank=True)
    is_valid = models.BooleanField("validée", default=False)
    errors = models.JSONField("erreurs", default=dict, blank=True)
    is_medical = models.BooleanField("partie médicale", default=False)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField("validée le", null=True, blank=True)

    class Meta:
        verbose_name = "section de dossier"
        verbose_name_plural = "sections de dossier"
        constraints = [models.UniqueConstraint(fields=["dossier", "key"], name="dossiers_unique_section_key")]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.key}"


class DossierEvent(models.Model):
    """The dossier's own timeline (the demandes keep theirs): a rule applied to it, e.g. a recomputed GIR."""

    class Kind(models.TextChoices):
        GIR_RECALCULE = "gir_recalcule", "GIR recalculé"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("le", default=timezone.now)
    kind = models.CharField("événement", max_length=30, choices=Kind.choices)
    message = models.CharField("message", max_length=300)
    is_medical = models.BooleanField("partie médicale", default=False)

    class Meta:
        verbose_name = "événement du dossier"
        verbose_name_plural = "événements du dossier"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_kind_display()}"
