from django.db import models


class OtpPurpose(models.TextChoices):
    LOGIN = "login", "Connexion par mot de passe"
    EMAIL = "email", "Confirmation de l’adresse électronique"


class CardFailure(models.TextChoices):
    """The cases of the "carte non reconnue" page (SPEC §2.5)."""

    NO_CERTIFICATE = "no_certificate", "Aucun certificat présenté"
    INVALID = "invalid", "Certificat invalide, expiré, révoqué ou d’une autorité non reconnue"
    NOT_PROFESSIONAL = "not_professional", "Ce n’est pas une carte de professionnel de santé"
    UNKNOWN = "unknown", "Identifiant inconnu de la plateforme ou compte désactivé"
