from django.conf import settings
from django.db import models
from django.utils import timezone

from trajectoire.audit.enums import AuthMeans

from .enums import OtpPurpose


class OtpChallenge(models.Model):
    """A 6-digit code sent by e-mail. Only its hash is stored; a new challenge voids the previous ones."""

    MAX_ATTEMPTS = 5

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=OtpPurpose.choices, default=OtpPurpose.LOGIN)
    code_hash = models.CharField(max_length=128)
    sent_to = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "code à usage unique"
        verbose_name_plural = "codes à usage unique"
        indexes = [models.Index(fields=["user", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return (
            self.used_at is None
            and self.voided_at is None
            and self.attempts < self.MAX_ATTEMPTS
            and timezone.now() <= self.expires_at
        )


class UserSession(models.Model):
    """What the user sees of a database session on "Mes sessions actives"."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    means = models.CharField(max_length=20, choices=AuthMeans.choices, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "session active"
        verbose_name_plural = "sessions actives"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.get_means_display()} — {self.created_at:%Y-%m-%d %H:%M}"


class KnownDevice(models.Model):
    """A browser the user has logged in from (a long-lived random cookie, stored hashed here)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "appareil connu"
        verbose_name_plural = "appareils connus"
        constraints = [models.UniqueConstraint(fields=["user", "token_hash"], name="proauth_unique_device")]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.created_at:%Y-%m-%d}"
