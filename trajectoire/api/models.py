"""API clients (SMART Backend Services), their short-lived tokens and their Subscriptions.

A client acts as one real account, so it sees exactly what that party sees in the web pages:
- a prescriber's software acts as the prescriber's own account (`user`);
- a structure's software acts as a technical member account of the structure (`user`, created with the
  client, holding the habilitations the référent granted it), so the inbox querysets apply unchanged.
Only hashes of secrets and tokens are stored.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import ClientKind, SubscriptionStatus


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


class ApiClient(models.Model):
    name = models.CharField("nom du logiciel", max_length=150)
    client_id = models.CharField("identifiant client", max_length=64, unique=True)
    secret_hash = models.CharField("empreinte du secret (SHA-256)", max_length=64)
    jwks = models.JSONField("clés publiques (JWKS) pour private_key_jwt", default=dict, blank=True)
    kind = models.CharField("type", max_length=20, choices=ClientKind.choices)
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.CASCADE, null=True, blank=True, related_name="api_clients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_clients", verbose_name="compte lié"
    )
    scopes = models.TextField("portées autorisées", help_text="Portées SMART séparées par des espaces.")
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = "client de l’API"
        verbose_name_plural = "clients de l’API"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class AccessToken(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    scopes = models.TextField()
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "jeton d’accès"
        verbose_name_plural = "jetons d’accès"

    def __str__(self) -> str:
        return f"Jeton {self.client.client_id} jusqu’au {self.expires_at:%d/%m/%Y %H:%M}"


class Subscription(models.Model):
    """An R4 Subscription (channel rest-hook) on Task, owned by the client that created it."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="subscriptions")
    criteria = models.CharField("critère", max_length=500)
    endpoint = models.URLField("adresse de rappel", max_length=500)
    headers = models.JSONField("en-têtes", default=list, blank=True)
    payload = models.CharField(max_length=60, default="application/fhir+json", blank=True)
    reason = models.CharField("raison", max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE)
    error = models.CharField("dernière erreur", max_length=500, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    failures = models.PositiveIntegerField("échecs consécutifs", default=0)
    last_delivered_at = models.DateTimeField("dernière notification", null=True, blank=True)

    class Meta:
        verbose_name = "abonnement FHIR"
        verbose_name_plural = "abonnements FHIR"

    def __str__(self) -> str:
        return f"{self.criteria} → {self.endpoint}"
