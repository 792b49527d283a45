from django.conf import settings
from django.db import models

from .enums import Action, AuthMeans


class AuditEvent(models.Model):
    """An append-only trace: who did what, on which object, when, from where.

    `details` holds identifiers and codes only, never names or clinical content.
    """

    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField("action", max_length=30, choices=Action.choices)
    means = models.CharField("moyen d’authentification", max_length=20, choices=AuthMeans.choices, blank=True)
    success = models.BooleanField("réussite", default=True)
    object_type = models.CharField("type d’objet", max_length=60, blank=True)
    object_id = models.CharField("identifiant de l’objet", max_length=64, blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        verbose_name = "trace d’audit"
        verbose_name_plural = "traces d’audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_type}:{self.object_id}"
