from django.db import models


class ClientKind(models.TextChoices):
    STRUCTURE = "structure", "Logiciel d’une structure (établissement receveur)"
    PRESCRIPTEUR = "prescripteur", "Logiciel d’un prescripteur"


class SubscriptionStatus(models.TextChoices):
    """R4 Subscription.status values."""

    REQUESTED = "requested", "Demandé"
    ACTIVE = "active", "Actif"
    ERROR = "error", "En erreur"
    OFF = "off", "Arrêté"
