"""Answering a Task (PUT or JSON Patch) = calling the same `demandes.services` function as the web button.

The client states the target with `businessStatus` (the exact statut); `status` must agree with it. Which
transition that is, whether it is allowed now and for whom, is decided by `demandes/workflow.py` and the
services; this module only translates. `If-Match: W/"<versionId>"` is checked under the dossier row lock the
services take, so a concurrent change answers 412.
"""

from __future__ import annotations

import datetime as dt

import jsonpatch
from django.db import transaction

from trajectoire.audit.enums import Action
from trajectoire.audit.services import event, record_all
from trajectoire.demandes import services, workflow
from trajectoire.demandes.enums import MotifAnnulation, Statut
from trajectoire.demandes.models import Demande, DemandeEvent

from ..fhir import FhirError, NotFound, elements
from .codesystems import system
from .task import TASK_ROW_FIELDS, TASK_STATUS, demandes_for, task

S = Statut
# target statut -> workflow transition name (the workflow table says from where and who).
TRANSITION_FOR = {
    S.LUE: "lire",
    S.COMPLEMENT_DEMANDE: "demander_complement",
    S.COMPLETEE: "completer",
    S.ACCEPTEE: "accepter",
    S.LISTE_ATTENTE: "mettre_en_attente",
    S.REFUSEE: "refuser",
    S.ADMISSION_CONFIRMEE: "confirmer_admission",
    S.ADMIS: "enregistrer_admission",
    S.ANNULEE: "annuler",
    S.CLOTUREE: "cloturer",
}


def _code(concept, name: str) -> str:
    for coding in elements(concept, "coding"):
        if coding.get("system") == system(name):
            return str(coding.get("code") or "")
    return ""


def _output_date(body, code: str) -> dt.date | None:
    for item in elements(body, "output"):
        if _code(item.get("type"), "sortie-demande") == code:
            try:
                return dt.date.fromisoformat(str(item.get("valueDate") or ""))
            except ValueError:
                raise FhirError(400, f"Date invalide dans output « {code} » (AAAA-MM-JJ).", code="invalid") from None
    return None


def _message(body) -> str:
    texts = [n.get("text", "") for n in elements(body, "note")]
    reason = body.get("statusReason") or {}
    return (str(reason.get("text") or "") if isinstance(reason, dict) else "") or " ".join(map(str, texts))


def _target(body, demande) -> Statut:
    code = _code(body.get("businessStatus"), "statut-demande")
    if not code:
        raise FhirError(
            422, "Indiquez le statut visé dans businessStatus (CodeSystem statut-demande).", code="required"
        )
    if code not in Statut.values:
        raise FhirError(422, f"Statut inconnu : « {code[:40]} ».", code="code-invalid")
    target = Statut(code)
    if body.get("status") not in (None, TASK_STATUS[target]):
        raise FhirError(
            422,
            f"status « {str(body.get('status'))[:30]} » incohérent avec le statut « {target.label} » "
            f"(attendu « {TASK_STATUS[target]} »).",
            code="business-rule",
        )
    return target


def _call(demande, target: Statut, body, by):
    """The service call for the target; TransitionError propagates."""
    message, reason = _message(body), body.get("statusReason") if isinstance(body.get("statusReason"), dict) else {}
    if target == S.LUE:
        return services.mark_read(demande, by)
    if target == S.COMPLEMENT_DEMANDE:
        return services.ask_complement(demande, by, message)
    if target == S.COMPLETEE:
        return services.answer_complement(demande, by, message)
    if target == S.ACCEPTEE:
        return services.accept(demande, by, _output_date(body, "date-admission-proposee"), message)
    if target == S.LISTE_ATTENTE:
        return services.put_on_waiting_list(demande, by, message)
    if target == S.REFUSEE:
        return services.refuse(demande, by, _code(reason, "motif-refus"), message)
    if target == S.ADMISSION_CONFIRMEE:
        return services.confirm_admission(demande, by)
    if target == S.ADMIS:
        return services.record_admission(demande, by, _output_date(body, "date-entree"))
    motif = _code(reason, "motif-annulation")
    if demande.statut == S.ACCEPTEE and motif == MotifAnnulation.OFFRE_DECLINEE:
        return services.decline_offer(demande, by, message)
    return services.cancel(demande, by, motif, message)


def _check_version(if_match: str, demande) -> None:
    if not if_match:
        return
    wanted = if_match.strip().removeprefix("W/").strip('"')
    if wanted != str(demande.version):
        raise FhirError(
            412,
            "La tâche a été modifiée entre-temps (version différente) : relisez-la avant de répondre.",
            code="conflict",
        )


def update_task(ctx, pk, body, if_match: str = "") -> dict:
    audit: list = []
    with transaction.atomic():
        # The services' lock, taken first; the visibility check (404) comes right after, under it, and reads the
        # demande as the services would (locked, with its dossier and unité): the service then works on
        # this object (`services.holding`). Who is told, and the Subscriptions, are the worker's (`announce`).
        demande = _locked(ctx, pk)
        _check_version(if_match, demande)
        if isinstance(body, list):
            body = _patched(task(demande), body)
        if not isinstance(body, dict) or body.get("resourceType") != "Task" or str(body.get("id", pk)) != str(pk):
            raise FhirError(400, "Le corps doit être la ressource Task de cette adresse.", code="structure")
        target = _target(body, demande)
        transitions = 0
        if target != demande.statut:  # the same statut again changes nothing (idempotent retry)
            transitions = _apply(ctx, demande, target, body, audit)
            record_all(audit)  # the service's TRANSITION row and the API's UPDATE row, in one INSERT
    return task(_answered(demande, changed=transitions > 0))


# What the answer (`task`) and the services read of the locked demande's relations: the refusal motifs of the
# dossier's domain, its author and doctor (who may act as the sender, `side_of`). A field left out would still
# be read, by one more query when first used.
LOCKED_FIELDS = (*TASK_ROW_FIELDS, "dossier__domain", "dossier__created_by", "dossier__medecin")


def _locked(ctx, pk) -> Demande:
    demande = services.locked_demande(demandes_for(ctx).only(*LOCKED_FIELDS), pk)
    if demande is None:
        raise NotFound("Tâche introuvable.")
    return demande


def _answered(demande: Demande, changed: bool) -> Demande:
    """The demande the service saved under the lock as the answer, instead of reading it a fourth time.

    Its dossier, unité and sender came with the read; the version is counted again after a change (exact even
    when a service changed nothing, e.g. a demande already read, and whatever else wrote to its timeline).
    """
    if changed:
        demande.version = DemandeEvent.objects.filter(demande_id=demande.pk).count()
    return demande


def _apply(ctx, demande, target, body, audit: list) -> int:
    """The service call on the locked demande; its audit events and the API's appended to `audit`. Returns how
    many transitions the service applied to it (0: nothing changed, e.g. a demande already read)."""
    side = services.side_of(ctx.user, demande)
    try:  # refused by the state machine (or not this side's action): a conflict with the current state
        if side is None:
            raise workflow.TransitionError("Vous ne pouvez pas effectuer cette action sur cette demande.")
        workflow.check(TRANSITION_FOR[target], demande.statut, side)
    except workflow.TransitionError as exc:
        raise FhirError(409, str(exc), code="conflict") from None
    try:
        with services.holding(demande, audit, side) as hold:
            _call(demande, target, body, ctx.user)
    except workflow.TransitionError as exc:
        raise FhirError(422, str(exc), code="business-rule") from None
    audit.append(
        event(Action.UPDATE, actor=ctx.user, obj=demande, api_client=ctx.client.client_id, statut=target.value)
    )
    return hold.transitions


def _patched(current: dict, operations) -> dict:
    try:
        return jsonpatch.apply_patch(current, operations)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError, ValueError, KeyError) as exc:
        raise FhirError(422, f"JSON Patch inapplicable : {str(exc)[:200]}", code="invalid") from None
