"""`POST /fhir/` transaction Bundle: a referral in one go, all or nothing, through the web's services.

Entries (any order): one Patient (created, or matched among the patients the client sees when
`request.ifNoneExist` is set, by the strict INS traits of `patients.services.find_duplicates`) or a reference to
one; one ServiceRequest (→ `dossiers.services.create_dossier`); QuestionnaireResponses (→ the section forms);
one Task per target HealthcareService (→ `demandes.services.send`, which refuses the whole sending if one unit
cannot receive it). Any error rolls everything back and answers one OperationOutcome.
"""

from __future__ import annotations

from django.db import transaction

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.demandes import services as demandes_services
from trajectoire.dossiers import services as dossier_services
from trajectoire.patients import services as patient_services
from trajectoire.patients.forms import PatientForm
from trajectoire.patients.models import Patient

from . import auth
from .fhir import FhirError, NotFound, elements, issue, reference_id, strings
from .resources.codesystems import system
from .resources.questionnaires import save_response
from .resources.referral import visible_patients
from .resources.units import units

SEXE = {"female": "F", "male": "M", "other": "I", "unknown": "I"}
ORDER = ["Patient", "ServiceRequest", "QuestionnaireResponse", "Task"]


def transaction_bundle(ctx, body) -> dict:
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle" or body.get("type") != "transaction":
        raise FhirError(400, "POST /fhir/ attend un Bundle de type « transaction ».", code="structure")
    entries = body.get("entry")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise FhirError(400, "Le Bundle ne contient aucune entrée.", code="structure")
    by_type: dict[str, list] = {t: [] for t in ORDER}
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry.get("resource"), dict) else {}
        kind = resource.get("resourceType")
        if kind not in by_type or (entry.get("request") or {}).get("method") != "POST":
            raise FhirError(
                422, f"Entrée non prise en charge : POST de {', '.join(ORDER)} seulement.", code="not-supported"
            )
        auth.require(ctx, kind, "create")
        by_type[kind].append(entry)
    if len(by_type["ServiceRequest"]) != 1 or len(by_type["Patient"]) > 1 or not by_type["Task"]:
        raise FhirError(422, "Un Bundle contient un ServiceRequest, au plus un Patient et au moins une Task.")
    with transaction.atomic():
        return _apply(ctx, by_type)


def _apply(ctx, by_type) -> dict:
    urls: dict[str, str] = {}
    responses = []
    patient, created = _patient(ctx, by_type["Patient"], by_type["ServiceRequest"][0], urls)
    responses.append(("Patient", patient.pk, created))
    dossier = _dossier(ctx, by_type["ServiceRequest"][0]["resource"], patient)
    urls[by_type["ServiceRequest"][0].get("fullUrl") or ""] = f"ServiceRequest/{dossier.pk}"
    responses.append(("ServiceRequest", dossier.pk, True))
    for entry in by_type["QuestionnaireResponse"]:
        section = save_response(ctx, dossier, entry["resource"])
        responses.append(("QuestionnaireResponse", section.pk, True))
    dossier.refresh_from_db()
    unit_ids = [_owner(entry["resource"]) for entry in by_type["Task"]]
    found = {u.pk: u for u in units().filter(pk__in=unit_ids)}
    if missing := [i for i in unit_ids if i not in found]:
        raise FhirError(422, f"Unité introuvable ou inactive : HealthcareService/{missing[0]}.", code="not-found")
    try:
        demandes = demandes_services.send(dossier, [found[i] for i in unit_ids], by=ctx.user)
    except demandes_services.SendError as exc:
        raise FhirError(422, str(exc), code="business-rule") from None
    responses += [("Task", d.pk, True) for d in demandes]
    record(
        Action.CREATE, actor=ctx.user, obj=dossier, api_client=ctx.client.client_id, demandes=[d.pk for d in demandes]
    )
    return {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [
            {"response": {"status": "201 Created" if new else "200 OK", "location": f"{kind}/{pk}"}}
            for kind, pk, new in responses
        ],
    }


def _patient(ctx, entries, sr_entry, urls) -> tuple[Patient, bool]:
    subject = str(
        (
            (sr_entry["resource"].get("subject") or {}) if isinstance(sr_entry["resource"].get("subject"), dict) else {}
        ).get("reference")
        or ""
    )
    if not entries:
        patient = visible_patients(ctx.user).filter(pk=reference_id(subject, "Patient")).first()
        if patient is None:
            raise NotFound("Patient introuvable.")
        return patient, False
    entry = entries[0]
    if entry.get("fullUrl") and subject and subject != entry["fullUrl"]:
        raise FhirError(422, "ServiceRequest.subject doit désigner le Patient du Bundle.", code="invalid")
    form = PatientForm(_patient_data(entry["resource"]))
    if not form.is_valid():
        issues = [
            issue(str(m), code="invalid", expression=f"Patient.{field}")
            for field, ms in form.errors.items()
            for m in ms
        ]
        raise FhirError(422, "Patient invalide.", code="invalid", issues=issues)
    data = form.cleaned_data
    traits = {k: data[k] for k in ("nom_naissance", "prenoms", "date_naissance", "sexe")}
    duplicates = patient_services.find_duplicates(ctx.user, **traits)
    if duplicates and (entry.get("request") or {}).get("ifNoneExist"):
        return duplicates[0], False
    if duplicates:
        raise FhirError(
            409,
            "Un patient aux mêmes traits d’identité existe déjà : renseignez request.ifNoneExist pour le réutiliser.",
            code="duplicate",
        )
    return patient_services.create_patient(by=ctx.user, **form.patient_fields()), True


def _patient_data(resource: dict) -> dict:
    names = elements(resource, "name")
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    usual = next((n for n in names if n.get("use") == "usual"), {})
    address = next(iter(elements(resource, "address")), {})
    telecom = {t.get("system"): t.get("value") for t in elements(resource, "telecom")}
    return {
        "nom_naissance": str(official.get("family") or ""),
        "prenoms": " ".join(strings(official, "given")),
        "date_naissance": str(resource.get("birthDate") or ""),
        "sexe": SEXE.get(str(resource.get("gender")), ""),
        "nom_usage": str(usual.get("family") or "") if usual else "",
        "prenom_usage": " ".join(strings(usual, "given")) if usual else "",
        "adresse": " ".join(strings(address, "line")),
        "code_postal": str(address.get("postalCode") or ""),
        "ville": str(address.get("city") or ""),
        "telephone": str(telecom.get("phone") or ""),
        "email": str(telecom.get("email") or ""),
    }


def _code(concepts, name: str) -> str:
    for concept in concepts if isinstance(concepts, list) else [concepts]:
        for coding in (concept or {}).get("coding") or [] if isinstance(concept, dict) else []:
            if isinstance(coding, dict) and coding.get("system") == system(name):
                return str(coding.get("code") or "")
    return ""


def _dossier(ctx, resource: dict, patient):
    try:
        return dossier_services.create_dossier(
            patient=patient,
            domain=_code(resource.get("category"), "domaine"),
            by=ctx.user,
            prise_en_charge=_code(resource.get("code"), "type-prise-en-charge"),
            mention_smr=_code(resource.get("orderDetail"), "mention-smr"),
            type_sejour=_code(resource.get("orderDetail"), "type-sejour"),
        )
    except (dossier_services.DossierError, ValueError) as exc:
        raise FhirError(422, str(exc) or "Domaine inconnu.", code="business-rule") from None


def _owner(resource: dict) -> int:
    owner = resource.get("owner") if isinstance(resource.get("owner"), dict) else {}
    return reference_id(str(owner.get("reference") or ""), "HealthcareService")
