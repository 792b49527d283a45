"""Dossier rules shared by views, commands and the demo: creation, drafts, validation, access code."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.directory.enums import Domain, StructureType

from . import tnd
from .enums import NUMERO_PREFIX, PRISES_EN_CHARGE
from .models import Dossier, Section
from .sections import definition

ACCESS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


class DossierError(ValueError):
    """A rule refused the action; the message is French and shown to the user."""


@transaction.atomic
def create_dossier(*, patient, domain, by, prise_en_charge="", request=None, medecin=None, **subtype) -> Dossier:
    """A new draft dossier; numbered « GA-2026-000123 » from its primary key."""
    domain = Domain(domain)
    if domain == Domain.TND:
        band = tnd.tranche(patient.date_naissance, timezone.localdate())
        if band is None:
            raise DossierError("Un dossier TND concerne un enfant de 0 à 12 ans révolus.")
        subtype["tranche_tnd"] = band
        prise_en_charge = StructureType.PCO
    if prise_en_charge not in PRISES_EN_CHARGE[domain]:
        raise DossierError("Cette prise en charge ne correspond pas au domaine du dossier.")
    if prise_en_charge != StructureType.SMR:
        subtype.pop("mention_smr", None)
    elif not subtype.get("mention_smr"):
        raise DossierError("Choisissez la mention SMR demandée.")
    dossier = Dossier.objects.create(
        patient=patient,
        domain=domain,
        prise_en_charge=prise_en_charge,
        created_by=by,
        medecin=medecin if medecin is not None else (by if by.is_medical_professional else None),
        **subtype,
    )
    dossier.numero = f"{NUMERO_PREFIX[domain]}-{dossier.created_at:%Y}-{dossier.pk:06d}"
    dossier.save(update_fields=["numero"])
    record(Action.CREATE, request=request, actor=by, obj=dossier, domain=domain)
    return dossier


def raw_input(form_class, post, dossier) -> dict:
    """The submitted values of a section's fields only, as JSON-ready strings or lists."""
    form = form_class(dossier=dossier)
    raw = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            values = post.getlist(name) if hasattr(post, "getlist") else list(post.get(name) or [])
            raw[name] = [_storable(v) for v in values]
        elif isinstance(field, forms.BooleanField):
            raw[name] = post.get(name) in ("on", "true", "True", True)
        else:
            raw[name] = _storable(post.get(name) or "").strip()
    return raw


def _storable(value) -> str:
    """PostgreSQL text and JSON cannot hold NUL characters (a draft keeps everything else the person typed)."""
    return str(value).replace("\x00", "")


def bound_form(dossier, key, data=None):
    section_def = definition(dossier, key)
    if section_def is None:
        raise DossierError("Section inconnue.")
    if data is None:
        section = dossier.sections.filter(key=key).first()
        data = section.data if section and section.data else None
    return section_def.form_class(data=data, dossier=dossier)


def _errors(form) -> dict:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


@transaction.atomic
def save_draft(dossier, key, post, *, by) -> tuple[Section, object]:
    """Autosave: keep the input even when invalid; the section goes back to « brouillon »."""
    section_def = definition(dossier, key)
    if section_def is None:
        raise DossierError("Section inconnue.")
    data = raw_input(section_def.form_class, post, dossier)
    section, _ = Section.objects.select_for_update().get_or_create(
        dossier=dossier, key=key, defaults={"is_medical": section_def.is_medical}
    )
    if section.is_valid and section.data == data:
        # Nothing changed (focus moves, a stray keystroke): a validated section stays validated.
        return section, section_def.form_class(data=data, dossier=dossier)
    section.data = data
    section.is_medical = section_def.is_medical
    section.is_valid = False
    section.validated_at = None
    section.updated_by = by
    form = section_def.form_class(data=data, dossier=dossier)
    section.errors = _errors(form) if not form.is_valid() else {}
    section.save()
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
    return section, form


@transaction.atomic
def validate_section(dossier, key, post, *, by, request=None) -> tuple[Section, object]:
    """« Valider la section »: saves the input, and marks it valid only when the form is."""
    section, form = save_draft(dossier, key, post, by=by)
    if not section.errors:
        section.is_valid = True
        section.validated_at = timezone.now()
        section.save(update_fields=["is_valid", "validated_at"])
        if form.is_valid():
            form.on_validated(by=by)
    record(Action.UPDATE, request=request, actor=by, obj=dossier, section=key, valid=section.is_valid)
    return section, form


def issue_access_code(dossier) -> str:
    """A new code for the paper handover (family ↔ doctor); only its hash is kept."""
    code = "-".join("".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(4)) for _ in range(2))
    dossier.access_code_hash = make_password(code)
    dossier.save(update_fields=["access_code_hash"])
    return code


def check_access_code(dossier, code: str) -> bool:
    if not dossier.access_code_hash or not code:
        return False
    return check_password(code.strip().upper(), dossier.access_code_hash)


def record_read(request, dossier, *, medical: bool = False, export: bool = False) -> None:
    """Every read of a dossier is traced: VIEW, VIEW_MEDICAL or EXPORT."""
    action = Action.EXPORT if export else (Action.VIEW_MEDICAL if medical else Action.VIEW)
    record(action, request=request, obj=dossier, domain=dossier.domain, medical=medical)
