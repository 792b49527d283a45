"""Patient and ServiceRequest (one per dossier), read through the same querysets as the web pages.

A client sees a patient when its account sees the patient (`Patient.objects.visible_to`) or one of the
patient's dossiers (`Dossier.objects.visible_to`, widened by the demandes hooks for receiving structures).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import Prefetch, Q

from trajectoire.accounts.models import USER_NAME_FIELDS
from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.dossiers.enums import Statut as DossierStatut
from trajectoire.dossiers.models import Dossier, Section
from trajectoire.patients.models import Patient

from ..fhir import DOSSIER_SYSTEM, NotFound, instant, ref, reference_id
from ..registry import ResourceDef, SearchParam, register
from ..search import bundle, check_params, date_filter
from .codesystems import concept

GENDER = {"F": "female", "M": "male", "I": "unknown"}
SR_STATUS = {
    DossierStatut.BROUILLON: "draft",
    DossierStatut.TRANSMIS: "active",
    DossierStatut.ARCHIVE: "completed",
    DossierStatut.ANNULE: "revoked",
}
DESIRED_DATE_FIELDS = ("date_entree_souhaitee", "date_souhaitee")  # Grand Âge, Sanitaire sections


def visible_patients(user, ids=None):
    """Patients the client sees; with `ids` (a few patient keys) each is checked by key in every way of seeing."""
    if ids is None:
        return Patient.objects.filter(
            Q(pk__in=Patient.objects.visible_to(user).values("pk"))
            | Q(pk__in=Dossier.objects.visible_to(user).values("patient_id"))
        )
    return Patient.objects.filter(pk__in=ids).filter(
        Q(pk__in=Patient.objects.visible_to(user, within=Q(pk__in=ids)).values("pk"))
        | Q(pk__in=Dossier.objects.visible_to(user, within=Q(patient_id__in=ids)).values("patient_id"))
    )


def patient(p: Patient) -> dict:
    names = [{"use": "official", "family": p.nom_naissance, "given": p.prenoms.split()}]
    if p.nom_usage or p.prenom_usage:
        usual = {"use": "usual", "family": p.nom_usage or p.nom_naissance}
        if p.prenom_usage:
            usual["given"] = [p.prenom_usage]
        names.append(usual)
    resource = {
        "resourceType": "Patient",
        "id": str(p.pk),
        "meta": {"lastUpdated": instant(p.updated_at)},
        "name": names,
        "gender": GENDER.get(p.sexe, "unknown"),
        "birthDate": p.date_naissance.isoformat(),
        "telecom": [
            t for t in ({"system": "phone", "value": p.telephone}, {"system": "email", "value": p.email}) if t["value"]
        ],
    }
    if p.adresse or p.commune_id:
        address = {"use": "home", "country": "FR"}
        if p.adresse:
            address["line"] = [p.adresse]
        if p.commune_id:
            address.update(city=p.commune.name, district=p.commune.insee)
        resource["address"] = [address]
    if p.medecin_traitant_id:
        resource["generalPractitioner"] = [ref("Practitioner", p.medecin_traitant_id)]
    return {k: v for k, v in resource.items() if v != []}


def read_patient(ctx, pk):
    obj = visible_patients(ctx.user).select_related("commune").filter(pk=pk).first()
    if obj is None:
        raise NotFound("Patient introuvable.")
    record(Action.VIEW, actor=ctx.user, obj=obj, api_client=ctx.client.client_id)
    return patient(obj)


def search_patients(ctx, params):
    check_params(PATIENT, params)
    queryset = visible_patients(ctx.user).select_related("commune").order_by("pk")
    if family := params.get("family"):
        queryset = queryset.filter(Q(nom_naissance__iexact=family[:100]) | Q(nom_usage__iexact=family[:100]))
    if birthdate := params.get("birthdate"):
        queryset = queryset.filter(**date_filter("date_naissance", birthdate))
    return bundle(ctx, PATIENT, queryset, patient, params=params, audit=True)


# What `service_request` reads of a dossier and its author (a whole user row is twice as many columns, dates
# parsed for nothing): the worklist's _include loads these only.
SERVICE_REQUEST_FIELDS = (
    "numero",
    "patient",
    "domain",
    "prise_en_charge",
    "type_sejour",
    "mention_smr",
    "statut",
    "created_by",
    "medecin",
    "created_at",
    "updated_at",
    *(f"{author}__{name}" for author in ("medecin", "created_by") for name in USER_NAME_FIELDS),
)


# What `patient` reads: the patient's own columns and its commune's name and INSEE code.
PATIENT_FIELDS = (*(f.name for f in Patient._meta.concrete_fields), "commune__name", "commune__insee")


def dossiers_for(user, within=None):
    return (
        Dossier.objects.visible_to(user, within=within)
        .select_related("medecin", "created_by")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.only("pk", "dossier_id", "key", "data").order_by("pk"))
        )
        .order_by("pk")
    )


def with_sections(dossiers: list) -> list:
    """The dossiers with their sections' (pk, data) attached, in one query and without Section instances (the
    _include of a worklist page: a prefetch built 200 model instances to read two keys)."""
    found: dict[int, list] = {d.pk: [] for d in dossiers}
    rows = Section.objects.filter(dossier_id__in=list(found)).order_by("pk").values_list("dossier_id", "pk", "data")
    for dossier_id, pk, data in rows:
        found[dossier_id].append(SimpleNamespace(pk=pk, data=data))
    for d in dossiers:
        d.section_rows = found[d.pk]
    return dossiers


def service_request(d: Dossier) -> dict:
    sections = d.section_rows if hasattr(d, "section_rows") else list(d.sections.all())
    data = {k: v for s in sections for k, v in (s.data or {}).items() if k in ("urgence", *DESIRED_DATE_FIELDS)}
    author = d.medecin if d.medecin_id else d.created_by
    resource = {
        "resourceType": "ServiceRequest",
        "id": str(d.pk),
        "meta": {"lastUpdated": instant(d.updated_at)},
        "identifier": [{"system": DOSSIER_SYSTEM, "value": d.numero}] if d.numero else [],
        "status": SR_STATUS.get(d.statut, "unknown"),
        "intent": "order",
        "category": [concept("domaine", d.domain)],
        "priority": "urgent" if data.get("urgence") == "urgente" else "routine",
        "code": concept("type-prise-en-charge", d.prise_en_charge),
        "orderDetail": [
            concept(name, value)
            for name, value in (("mention-smr", d.mention_smr), ("type-sejour", d.type_sejour))
            if value
        ],
        "subject": ref("Patient", d.patient_id),
        "authoredOn": instant(d.created_at),
        "supportingInfo": [ref("QuestionnaireResponse", s.pk) for s in sections],
    }
    if author is not None and author.rpps:
        resource["requester"] = ref("Practitioner", author.pk, str(author))
    if desired := next((data[f] for f in DESIRED_DATE_FIELDS if data.get(f)), None):
        resource["occurrenceDateTime"] = str(desired)[:10]
    return {k: v for k, v in resource.items() if v != []}


def read_service_request(ctx, pk):
    obj = dossiers_for(ctx.user).filter(pk=pk).first()
    if obj is None:
        raise NotFound("Demande de prise en charge introuvable.")
    record(Action.VIEW, actor=ctx.user, obj=obj, domain=obj.domain, api_client=ctx.client.client_id)
    return service_request(obj)


def search_service_requests(ctx, params):
    check_params(SERVICE_REQUEST, params)
    queryset = dossiers_for(ctx.user)
    if subject := params.get("subject") or params.get("patient"):
        queryset = queryset.filter(patient_id=reference_id(subject, "Patient"))
    if identifier := params.get("identifier"):
        queryset = queryset.filter(numero=identifier.rpartition("|")[2][:20])
    return bundle(ctx, SERVICE_REQUEST, queryset, service_request, params=params, audit=True)


PATIENT = register(
    ResourceDef(
        "Patient",
        "Patients des dossiers visibles par le client (mêmes droits que les pages web).",
        read=read_patient,
        search=search_patients,
        search_params=(
            SearchParam("family", "string", "Nom de naissance ou d’usage (exact, sans casse)."),
            SearchParam("birthdate", "date", "Date de naissance (préfixes eq, gt, ge, lt, le)."),
        ),
    )
)
SERVICE_REQUEST = register(
    ResourceDef(
        "ServiceRequest",
        "Un dossier d’orientation : domaine, prise en charge demandée, priorité, date souhaitée.",
        read=read_service_request,
        search=search_service_requests,
        search_params=(
            SearchParam("subject", "reference", "Patient/<id>."),
            SearchParam("patient", "reference", "Patient/<id>."),
            SearchParam("identifier", "token", "Numéro de dossier."),
        ),
    )
)
