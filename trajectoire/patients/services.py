"""Patient rules: creation and the duplicate alert (same strict INS traits among visible patients)."""

from __future__ import annotations

from django.db import transaction

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record

from .models import Patient


def normalise(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(text.upper().replace("-", " ").replace("'", " ").split())


def find_duplicates(user, *, nom_naissance, prenoms, date_naissance, sexe, exclude_pk=None):
    """Visible patients with the same birth name, first first name, birth date and sex.

    Names are compared without accents, case or hyphens (« Le-Gall » = « LE GALL »).
    """
    candidates = Patient.objects.visible_to(user).filter(date_naissance=date_naissance, sexe=sexe)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    nom = normalise(nom_naissance)
    prenom = normalise(prenoms).split(" ")[0] if prenoms else ""
    return [
        p
        for p in candidates
        if normalise(p.nom_naissance) == nom and (normalise(p.prenoms).split(" ") or [""])[0] == prenom
    ]


@transaction.atomic
def create_patient(*, by, request=None, contacts=(), **fields) -> Patient:
    patient = Patient.objects.create(created_by=by, **fields)
    for contact in contacts:
        contact.patient = patient
        contact.save()
    record(Action.CREATE, request=request, actor=by, obj=patient)
    return patient
