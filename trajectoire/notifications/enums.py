from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENDING = "sending", "En cours d’envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec définitif"
