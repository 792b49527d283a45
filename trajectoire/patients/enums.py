from django.db import models


class Sexe(models.TextChoices):
    """INS trait « sexe » (values of the INS referential)."""

    FEMININ = "F", "Féminin"
    MASCULIN = "M", "Masculin"
    INDETERMINE = "I", "Indéterminé"


class LienContact(models.TextChoices):
    CONJOINT = "conjoint", "Conjoint ou conjointe"
    ENFANT = "enfant", "Enfant"
    PARENT = "parent", "Parent"
    FRATRIE = "fratrie", "Frère ou sœur"
    AUTRE_FAMILLE = "autre_famille", "Autre membre de la famille"
    TUTEUR = "tuteur", "Tuteur ou curateur"
    PROCHE = "proche", "Proche, ami ou voisin"
    AUTRE = "autre", "Autre"
