from django.db import models


class Action(models.TextChoices):
    # Authentication (SPEC §2.7)
    LOGIN_SUCCESS = "login_success", "Connexion réussie"
    LOGIN_FAILURE = "login_failure", "Échec de connexion"
    LOGOUT = "logout", "Déconnexion"
    OTP_SENT = "otp_sent", "Code de connexion envoyé"
    ACCOUNT_LOCKED = "account_locked", "Compte verrouillé"
    SESSION_ENDED = "session_ended", "Session terminée"
    PASSWORD_CHANGED = "password_changed", "Mot de passe modifié"
    # Patient data (SPEC §1: every opening of a dossier is traced)
    VIEW = "view", "Consultation"
    VIEW_MEDICAL = "view_medical", "Consultation de la partie médicale"
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    EXPORT = "export", "Export ou impression"
    TRANSITION = "transition", "Changement de statut"
    ACCESS_DENIED = "access_denied", "Accès refusé"
    # Administration
    MEMBERSHIP_CHANGED = "membership_changed", "Habilitations modifiées"
    IMPORT = "import", "Import de données de référence"


class AuthMeans(models.TextChoices):
    CARD = "card", "Carte CPx"
    ECPS = "ecps", "e-CPS (Pro Santé Connect)"
    PASSWORD_OTP = "password_otp", "Identifiant RPPS, mot de passe et code"
    USAGER_PASSWORD = "usager_password", "E-mail et mot de passe"
