"""Communication = a complement asked by the structure or given by the sender, on a Task.

Reading lists the timeline events of those two transitions; creating one calls `ask_complement` (structure
side) or `answer_complement` (sender side), as the web forms do; the state machine decides (409 otherwise).
"""

from __future__ import annotations

from django.db import transaction

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.demandes import services, workflow
from trajectoire.demandes.enums import Side
from trajectoire.demandes.models import DemandeEvent

from ..fhir import FhirError, NotFound, elements, instant, ref, reference_id
from ..registry import ResourceDef, SearchParam, register
from ..search import bundle, check_params
from .codesystems import concept
from .task import demandes_for, get_demande

ACTIONS = ("demander_complement", "completer")


def events_for(ctx):
    return (
        DemandeEvent.objects.filter(action__in=ACTIONS, demande__in=demandes_for(ctx).values("pk"))
        .select_related("demande__dossier", "actor")
        .order_by("-at", "-pk")
    )


def communication(e: DemandeEvent) -> dict:
    demande = e.demande
    structure_side = e.action == "demander_complement"
    structure = ref("Organization", demande.structure_id)
    sender = ref("Practitioner", e.actor_id, str(e.actor)) if e.actor and e.actor.rpps else None
    resource = {
        "resourceType": "Communication",
        "id": str(e.pk),
        "partOf": [ref("Task", demande.pk)],
        "status": "completed",
        "category": [concept("statut-demande", e.to_statut)],
        "subject": ref("Patient", demande.dossier.patient_id),
        "sent": instant(e.at),
        "sender": structure if structure_side else sender,
        "recipient": [] if structure_side else [structure],
        "payload": [{"contentString": e.message}] if e.message else [],
    }
    return {k: v for k, v in resource.items() if v not in (None, [])}


def read(ctx, pk):
    event = events_for(ctx).filter(pk=pk).first()
    if event is None:
        raise NotFound("Communication introuvable.")
    record(Action.VIEW, actor=ctx.user, obj=event.demande, communication=event.pk, api_client=ctx.client.client_id)
    return communication(event)


def search(ctx, params):
    check_params(DEFINITION, params)
    events = events_for(ctx)
    if part_of := params.get("part-of"):
        events = events.filter(demande_id=reference_id(part_of, "Task"))
    return bundle(ctx, DEFINITION, events, communication, params=params, audit=True)


def create(ctx, body):
    if not isinstance(body, dict) or body.get("resourceType") != "Communication":
        raise FhirError(400, "Le corps doit être une ressource Communication.", code="structure")
    part_of = (elements(body, "partOf") or [{}])[0]
    task_ref = str(part_of.get("reference", ""))
    demande = get_demande(ctx, reference_id(task_ref, "Task"))
    texts = [p.get("contentString") for p in elements(body, "payload")]
    message = "\n".join(str(t) for t in texts if t)
    side = services.side_of(ctx.user, demande)
    try:
        with transaction.atomic():
            if side == Side.STRUCTURE:
                demande = services.ask_complement(demande, ctx.user, message)
            else:
                demande = services.answer_complement(demande, ctx.user, message)
    except workflow.TransitionError as exc:
        status = 422 if not message.strip() else 409
        raise FhirError(status, str(exc), code="business-rule" if status == 422 else "conflict") from None
    record(Action.UPDATE, actor=ctx.user, obj=demande, api_client=ctx.client.client_id, communication=True)
    return communication(events_for(ctx).filter(demande=demande).first())


DEFINITION = register(
    ResourceDef(
        "Communication",
        "Complément d’information demandé par la structure ou apporté par le demandeur, lié à la Task.",
        read=read,
        search=search,
        search_params=(SearchParam("part-of", "reference", "Task/<id>."),),
        create=create,
    )
)
