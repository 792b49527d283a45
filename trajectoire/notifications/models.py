from django.conf import settings
from django.db import models

from .enums import EmailStatus


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-application notification (the bell counter and the list)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte", blank=True)
    url = models.CharField("lien", max_length=300, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class OutgoingEmail(models.Model):
    """E-mails as data: stored in the transaction, sent by the worker after commit, retried on failure."""

    MAX_ATTEMPTS = 5

    to = models.EmailField("destinataire")
    via_mssante = models.BooleanField("par la messagerie sécurisée MSSanté", default=False)
    subject = models.CharField("objet", max_length=250)
    body = models.TextField("texte")
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "courriel sortant"
        verbose_name_plural = "courriels sortants"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"
