from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Aidant(models.Model):
    """A usager account sharing a dossier: the person themself or a family member (one référent per dossier).

    Another aidant than the author is added only with the person's consent, recorded here (when, by whom).
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="aidants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aidances")
    lien = models.CharField("lien avec la personne", max_length=60, blank=True)
    is_referent = models.BooleanField("aidant référent", default=False)
    consentement_at = models.DateTimeField("accord de la personne recueilli le", null=True, blank=True)
    consentement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("ajouté le", default=timezone.now)

    class Meta:
        verbose_name = "aidant"
        ordering = ["-is_referent", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "user"], name="usagers_unique_aidant"),
            models.UniqueConstraint(fields=["dossier"], condition=Q(is_referent=True), name="usagers_one_referent"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.dossier}"


class RelanceConfirmation(models.Model):
    """The reminder sent to an account whose e-mail is still unconfirmed (one per account: idempotent)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField("relance envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "relance de confirmation"
        verbose_name_plural = "relances de confirmation"

    def __str__(self) -> str:
        return f"Relance du {self.sent_at:%d/%m/%Y}"


class InvitationAidant(models.Model):
    """Access to a dossier promised to an address that has no confirmed account yet.

    The référent invites a relative by e-mail, with the person's consent; the access (an `Aidant`) is given
    when an account with that address confirms it, so an address is never trusted before it is proven.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="invitations_aidants")
    email = models.EmailField("adresse invitée")
    lien = models.CharField("lien avec la personne", max_length=60, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    consentement_at = models.DateTimeField("accord de la personne recueilli le")
    created_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "invitation d’aidant"
        verbose_name_plural = "invitations d’aidants"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["dossier", "email"], name="usagers_unique_invitation")]

    def __str__(self) -> str:
        return f"Invitation du {self.created_at:%d/%m/%Y}"
