"""Task = one demande: its status in FHIR terms, read and searched through the inbox querysets.

Mapping (docs/api.md): `businessStatus` carries the exact statut (CodeSystem statut-demande); `status` the
nearest FHIR Task status; `statusReason` the refusal/cancellation/closure motif; `output` the proposed
admission date and the entry date. Version = number of timeline events (each transition adds one).
"""

from __future__ import annotations

from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery

from trajectoire.accounts.models import USER_NAME_FIELDS
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import Demande, DemandeEvent
from trajectoire.demandes.permissions import demandes_visible_to, inbox_for, received_dossier_ids

from ..enums import ClientKind
from ..fhir import FhirError, NotFound, instant, ref, reference_id
from ..registry import ResourceDef, SearchParam, register
from ..search import bundle, check_params, date_filter
from .codesystems import concept

S = Statut
TASK_STATUS = {
    S.ENVOYEE: "requested",
    S.LUE: "received",
    S.COMPLEMENT_DEMANDE: "on-hold",
    S.COMPLETEE: "received",
    S.ACCEPTEE: "accepted",
    S.LISTE_ATTENTE: "on-hold",
    S.REFUSEE: "rejected",
    S.ADMISSION_CONFIRMEE: "ready",
    S.ADMIS: "completed",
    S.ANNULEE: "cancelled",
    S.CLOTUREE: "cancelled",
}
OUTPUTS = {"date-admission-proposee": "date_admission_proposee", "date-entree": "date_entree"}


def demandes_for(ctx):
    """The structure's inbox for a structure's client; everything its account sees for a prescriber's."""
    queryset = inbox_for(ctx.user) if ctx.client.kind == ClientKind.STRUCTURE else demandes_visible_to(ctx.user)
    return queryset.select_related("dossier", "unite", "sent_by").annotate(version=Subquery(_events_count()))


def _events_count():
    """`(SELECT COUNT(id) FROM events WHERE demande_id = outer.id)`: written as a plain COUNT, not Django's
    `values().annotate(Count)` (a GROUP BY whose expressions Django compares and hashes, ≈ 0.4 ms per query to
    build and compile). One row always (0 without events, where the GROUP BY gave none: `task` counts then)."""
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    return DemandeEvent.objects.filter(demande=OuterRef("pk")).order_by().values(n=count)


# What `task` reads of a page's joined rows (`search_tasks`): whole dossier and user rows cost a third of the
# page's loading (dates parsed, instances filled) for four columns.
TASK_ROW_FIELDS = (
    *(f.name for f in Demande._meta.concrete_fields),
    "dossier__numero",
    "dossier__patient",
    "unite__name",
    *(f"sent_by__{name}" for name in USER_NAME_FIELDS),
)


def _status_reason(d: Demande) -> dict | None:
    for name, value in (("motif-refus", d.motif_refus), ("motif-annulation", d.motif_annulation)):
        if value:
            reason = concept(name, value)
            break
    else:
        reason = concept("motif-cloture", d.motif_cloture) if d.motif_cloture else None
    if reason is not None and d.commentaire:
        reason["text"] = d.commentaire
    return reason


def task(d: Demande) -> dict:
    version = getattr(d, "version", None) or d.events.count()
    resource = {
        "resourceType": "Task",
        "id": str(d.pk),
        "meta": {"versionId": str(version), "lastUpdated": instant(d.status_changed_at)},
        "status": TASK_STATUS[d.statut],
        "businessStatus": concept("statut-demande", d.statut),
        "intent": "order",
        "priority": "urgent" if d.urgente else "routine",
        "focus": ref("ServiceRequest", d.dossier_id, d.dossier.numero or ""),
        "for": ref("Patient", d.dossier.patient_id),
        "authoredOn": instant(d.sent_at),
        "lastModified": instant(d.status_changed_at),
        "owner": ref("HealthcareService", d.unite_id, d.unite.name),
        "output": [
            {"type": concept("sortie-demande", code), "valueDate": getattr(d, field).isoformat()}
            for code, field in OUTPUTS.items()
            if getattr(d, field)
        ],
    }
    if d.sent_by.rpps:
        resource["requester"] = ref("Practitioner", d.sent_by_id, str(d.sent_by))
    if reason := _status_reason(d):
        resource["statusReason"] = reason
    return {k: v for k, v in resource.items() if v != []}


def get_demande(ctx, pk) -> Demande:
    demande = demandes_for(ctx).filter(pk=pk).first()
    if demande is None:
        raise NotFound("Tâche introuvable.")
    return demande


def read_task(ctx, pk):
    from trajectoire.audit.enums import Action
    from trajectoire.audit.services import record

    demande = get_demande(ctx, pk)
    record(Action.VIEW, actor=ctx.user, obj=demande, api_client=ctx.client.client_id)
    return task(demande)


def _owner_filter(queryset, value: str):
    if "Organization/" in value:
        return queryset.filter(structure_id=reference_id(value, "Organization"))
    return queryset.filter(unite_id=reference_id(value, "HealthcareService"))


def search_tasks(ctx, params):
    check_params(TASK, params)
    queryset = demandes_for(ctx).order_by("-status_changed_at", "-pk")
    if owner := params.get("owner"):
        queryset = _owner_filter(queryset, owner)
    if status := params.get("status"):
        wanted = set(status.split(","))
        queryset = queryset.filter(statut__in=[s for s, fhir in TASK_STATUS.items() if fhir in wanted])
    if business := params.get("business-status"):
        queryset = queryset.filter(statut__in=[v.rpartition("|")[2] for v in business.split(",")])
    for value in params.getlist("_lastUpdated"):
        queryset = queryset.filter(**date_filter("status_changed_at", value))
    if focus := params.get("focus"):
        queryset = queryset.filter(dossier_id=reference_id(focus, "ServiceRequest"))
    if patient := params.get("patient"):
        queryset = queryset.filter(dossier__patient_id=reference_id(patient, "Patient"))
    includes = params.getlist("_include")
    return bundle(
        ctx,
        TASK,
        queryset.only(*TASK_ROW_FIELDS),
        task,
        params=params,
        audit=True,
        includes=lambda rows, events: _included(ctx, rows, includes, events),
        keys_first=True,
    )


def _viewed(ctx, object_type: str, ids: list):
    """The audit event of the client seeing these resources (written with the page's, `audit.record_all`)."""
    from trajectoire.audit.enums import Action
    from trajectoire.audit.services import event

    return event(Action.VIEW, actor=ctx.user, object_type=object_type, ids=ids, api_client=ctx.client.client_id)


def _included(ctx, rows, includes, events: list) -> list:
    """The resources `_include`d with a page of Tasks; the audit events of what they show appended to `events`."""
    from trajectoire.dossiers.models import Dossier
    from trajectoire.patients.models import Patient

    from .referral import (
        PATIENT_FIELDS,
        SERVICE_REQUEST_FIELDS,
        patient,
        service_request,
        visible_patients,
        with_sections,
    )

    resources = []
    if not rows or not {"Task:focus", "Task:patient"} & set(includes):
        return resources
    # The dossier of a demande sent to one of the client's receiving structures is a dossier it sees
    # (`received_dossiers_q`, a visibility hook of Dossier.objects.visible_to): only the others (a prescriber's
    # Task) go through the full check. The dossiers come with their patients (the includes' second query).
    received = received_dossier_ids(ctx.user, rows)
    others = {d.dossier_id for d in rows} - received
    dossiers = []
    if "Task:focus" in includes:
        visible = Q(pk__in=received)
        if others:
            visible |= Q(pk__in=Dossier.objects.visible_to(ctx.user, within=Q(pk__in=others)).values("pk"))
        fields = list(SERVICE_REQUEST_FIELDS)
        dossiers = Dossier.objects.filter(visible).select_related("medecin", "created_by").order_by("pk")
        if "Task:patient" in includes:
            dossiers = dossiers.select_related("patient__commune")
            fields += [f"patient__{name}" for name in PATIENT_FIELDS]
        dossiers = with_sections(list(dossiers.only(*fields)))
        seen = {d.patient_id for d in dossiers}
        resources += [service_request(d) for d in dossiers]
        events.append(_viewed(ctx, "fhir.servicerequest", [d.pk for d in dossiers]))
    else:
        seen = {d.dossier.patient_id for d in rows if d.dossier_id in received}
        if others:
            within = Q(pk__in=others)
            seen |= set(Dossier.objects.visible_to(ctx.user, within=within).values_list("patient_id", flat=True))
    if "Task:patient" in includes:
        # A patient of a dossier the client sees is a patient it sees (`visible_patients`, second way), read with
        # its dossier: only the others (a Task visible without its dossier) go through the full check. Sorted as
        # Patient's ordering (name, first names; code points, as PostgreSQL's C collation and SQLite).
        found = {d.patient_id: d.patient for d in dossiers}  # with _include=Task:focus: the seen ones
        wanted = {d.dossier.patient_id for d in rows}
        known, unknown = wanted & seen - set(found), wanted - seen
        if known or unknown:
            visible = Q(pk__in=known)
            if unknown:
                visible |= Q(pk__in=visible_patients(ctx.user, ids=unknown).values("pk"))
            found.update((p.pk, p) for p in Patient.objects.filter(visible).select_related("commune"))
        patients = sorted(found.values(), key=lambda p: (p.nom_naissance, p.prenoms, p.pk))
        resources += [patient(p) for p in patients]
        events.append(_viewed(ctx, "fhir.patient", [p.pk for p in patients]))
    return resources


def _update(ctx, pk, body, if_match=""):
    from .task_update import update_task

    return update_task(ctx, pk, body, if_match)


TASK = register(
    ResourceDef(
        "Task",
        "Une demande adressée à une unité : statut, réponse, date d’admission proposée.",
        read=read_task,
        search=search_tasks,
        search_params=(
            SearchParam("owner", "reference", "HealthcareService/<id> (unité) ou Organization/<id>."),
            SearchParam("status", "token", "Statut FHIR (requested, received, accepted…), séparés par des virgules."),
            SearchParam("business-status", "token", "Statut exact (CodeSystem statut-demande)."),
            SearchParam("_lastUpdated", "date", "Dernier changement de statut (gt, ge, lt, le)."),
            SearchParam("focus", "reference", "ServiceRequest/<id>."),
            SearchParam("patient", "reference", "Patient/<id>."),
        ),
        includes=("Task:focus", "Task:patient"),
        update=_update,
        patch=_update,
        versioned=True,
    )
)

__all__ = ["TASK", "FhirError", "get_demande", "task"]
