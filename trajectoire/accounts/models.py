from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import MEDICAL_PROFESSIONS, Kind, Profession, Role
from .validators import validate_adeli, validate_rpps


class TrajectoireUserManager(UserManager):
    def _create_user_object(self, username, email, password, **extra_fields):  # type: ignore[override]
        user = self.model(username=username, email=self.normalize_email(email or ""), **extra_fields)
        user.password = ""
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        return user

    def create_user(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self._create_user_object(username, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(username, email, password, **extra_fields)


# The columns `str(user)` and a FHIR reference to a practitioner read (name, kind and profession for the « Dr »,
# RPPS): what a query loading many users for their names may restrict itself to (`only`).
USER_NAME_FIELDS = ("rpps", "first_name", "last_name", "username", "kind", "profession")


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Trajectoire: a professional (identified by RPPS, ADELI or a staff card) or a usager.

    `username` is the login identifier: the RPPS number for professionals who have one, the staff
    card identifier (`3<FINESS>/<id>`) for CPE/CPA holders, the e-mail address for usagers.
    """

    username = models.CharField("identifiant", max_length=150, unique=True)
    kind = models.CharField("type de compte", max_length=20, choices=Kind.choices, default=Kind.PROFESSIONNEL)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    email = models.EmailField("adresse électronique", blank=True, default="")
    email_confirmed_at = models.DateTimeField("adresse électronique confirmée le", null=True, blank=True)
    profession = models.CharField("profession", max_length=30, choices=Profession.choices, blank=True, default="")
    specialite = models.CharField("spécialité", max_length=150, blank=True)
    rpps = models.CharField(
        "numéro RPPS", max_length=11, unique=True, null=True, blank=True, validators=[validate_rpps]
    )
    adeli = models.CharField(
        "numéro ADELI", max_length=9, unique=True, null=True, blank=True, validators=[validate_adeli]
    )
    staff_card_id = models.CharField(
        "identifiant de carte d’établissement (CPE/CPA)", max_length=64, unique=True, null=True, blank=True
    )
    exercice_commune = models.CharField("commune d’exercice", max_length=150, blank=True)
    # Set on the first successful card or e-CPS login: the password route opens only after it.
    strong_auth_at = models.DateTimeField("première connexion carte CPx ou e-CPS le", null=True, blank=True)
    is_observatoire = models.BooleanField("observatoire (statistiques agrégées)", default=False)
    observatoire_departements = models.CharField(
        "départements observés", max_length=200, blank=True, help_text="Codes séparés par des virgules."
    )
    # On by default (issue 16): a structure must not miss a new demande; everyone can turn it off.
    notify_by_email = models.BooleanField("recevoir les notifications par e-mail", default=True)
    # The bell's counter, kept by notifications.services (the only writer of notifications) in the same
    # transaction as the notifications: the header reads it from the request's user row, without a query.
    # db_default: code of the previous release, still serving during a deploy, inserts users without the column.
    unread_notifications = models.PositiveIntegerField(
        "notifications non lues", default=0, db_default=0, editable=False
    )
    is_staff = models.BooleanField("accès à l’administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = TrajectoireUserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=Q(kind=Kind.USAGER), name="accounts_unique_usager_email"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        """A full save of a loaded user never writes the bell's counter back: it may have moved since the row was
        read (a notification for this user in another request), and only notifications.services sets it."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()  # as Django does: a deferred field is not written either
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in deferred and f.name != "unread_notifications"
            ]
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        if self.is_professionnel and self.profession == Profession.MEDECIN:
            return f"Dr {self.first_name} {self.last_name}".strip()
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_professionnel(self) -> bool:
        return self.kind == Kind.PROFESSIONNEL

    @property
    def is_usager(self) -> bool:
        return self.kind == Kind.USAGER

    @property
    def is_medical_professional(self) -> bool:
        return self.is_professionnel and self.profession in MEDICAL_PROFESSIONS

    def active_memberships(self) -> list:
        """Active memberships with the structure's name, read once per request (accounts.permissions)."""
        from .permissions import active_memberships

        return active_memberships(self)

    @property
    def role_summary(self) -> str:
        """Under the name in the header: the role, and the structure for its members.

        From the request's memberships when the page already read them (permission helpers); otherwise from the
        shared cache (ROLE_SUMMARY_CACHE_SECONDS), so a page that needs no membership does not query them only
        for this label. Display only: every permission reads the memberships from the database. A membership
        written or deleted, or the user saved, drops the cached label (accounts.signals)."""
        if self.is_usager:
            return "Espace particuliers"
        if self.is_observatoire:
            return "Observatoire"
        from django.conf import settings
        from django.core.cache import cache

        from trajectoire.core.request_context import request_memo

        from .permissions import MEMO_KEY

        memo = request_memo()
        timeout = settings.ROLE_SUMMARY_CACHE_SECONDS
        if timeout <= 0 or (memo is not None and (MEMO_KEY, self.pk) in memo):
            return self._role_summary()
        return cache.get_or_set(role_summary_key(self.pk), self._role_summary, timeout)

    def _role_summary(self) -> str:
        memberships = self.active_memberships()[:3]  # read once per request, shared with the permission helpers
        if memberships:
            first = memberships[0]
            roles = ", ".join(role.label for role in first.roles) or "Membre"
            more = (
                f" (+ {len(memberships) - 1} autre{'s' if len(memberships) > 2 else ''})"
                if len(memberships) > 1
                else ""
            )
            return f"{roles} · {first.structure.name}{more}"
        return self.get_profession_display() or ("Administration" if self.is_staff else "Professionnel")

    @property
    def can_use_password_login(self) -> bool:
        """SPEC §2.1: an RPPS account logs in with a password only after a card or e-CPS login."""
        return self.is_professionnel and self.strong_auth_at is not None and self.has_usable_password()


def role_summary_key(user_id: int) -> str:
    return f"accounts:role_summary:v1:{user_id}"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def with_role(self, role: Role | str):
        return self.filter(**{Membership.ROLE_FIELDS[Role(role)]: True})


class Membership(models.Model):
    """A user working for a structure, with habilitations (several may be held at once)."""

    ROLE_FIELDS = {Role.ADMISSIONS: "is_admissions", Role.MEDICAL: "is_medical", Role.REFERENT: "is_referent"}

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    structure = models.ForeignKey("directory.Structure", on_delete=models.CASCADE, related_name="memberships")
    is_admissions = models.BooleanField("habilitation admissions", default=False)
    is_medical = models.BooleanField("habilitation médicale", default=False)
    is_referent = models.BooleanField("référent structure", default=False)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement à une structure"
        verbose_name_plural = "rattachements à une structure"
        constraints = [
            models.UniqueConstraint(fields=["user", "structure"], name="accounts_unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.structure}"

    def has_role(self, role: Role | str) -> bool:
        return bool(getattr(self, self.ROLE_FIELDS[Role(role)]))

    @property
    def roles(self) -> list[Role]:
        return [role for role in Role if self.has_role(role)]
