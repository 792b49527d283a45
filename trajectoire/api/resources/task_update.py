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
from trajectoire.audit.services import record
from trajectoire.demandes import services, workflow
from trajectoire.demandes.enums import MotifAnnulation, Statut
from trajectoire.demandes.models import Demande, DemandeEvent
from trajectoire.dossiers.models import Dossier

from ..fhir import FhirError, elements
from .codesystems import system
from .task import TASK_STATUS, get_demande, task

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
    dossier_id = Demande.objects.filter(pk=pk).values_list("dossier_id", flat=True).first()
    with transaction.atomic():
        # The services' lock, taken first; the visibility check (404) comes right after, under it.
        Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk", flat=True).first()
        demande = get_demande(ctx, pk)
        _check_version(if_match, demande)
        if isinstance(body, list):
            body = _patched(task(demande), body)
        if not isinstance(body, dict) or body.get("resourceType") != "Task" or str(body.get("id", pk)) != str(pk):
            raise FhirError(400, "Le corps doit être la ressource Task de cette adresse.", code="structure")
        target = _target(body, demande)
        changed = demande
        if target != demande.statut:  # the same statut again changes nothing (idempotent retry)
            changed = _apply(ctx, demande, target, body)
    return task(_answered(demande, changed))


def _answered(read: Demande, changed: Demande) -> Demande:
    """The service's own demande (saved under the lock) as the answer, instead of reading it a fourth time.

    Its dossier and unité come with it (the services' select_related); the sender never changes; the version
    is counted (exact even when a service changed nothing, e.g. a demande already read).
    """
    if changed is not read:
        changed.version = DemandeEvent.objects.filter(demande_id=changed.pk).count()
        if changed.sent_by_id == read.sent_by_id:
            changed.sent_by = read.sent_by
    return changed


def _apply(ctx, demande, target, body) -> Demande:
    side = services.side_of(ctx.user, demande)
    try:  # refused by the state machine (or not this side's action): a conflict with the current state
        if side is None:
            raise workflow.TransitionError("Vous ne pouvez pas effectuer cette action sur cette demande.")
        workflow.check(TRANSITION_FOR[target], demande.statut, side)
    except workflow.TransitionError as exc:
        raise FhirError(409, str(exc), code="conflict") from None
    try:
        changed = _call(demande, target, body, ctx.user)
    except workflow.TransitionError as exc:
        raise FhirError(422, str(exc), code="business-rule") from None
    record(Action.UPDATE, actor=ctx.user, obj=demande, api_client=ctx.client.client_id, statut=target.value)
    return changed


def _patched(current: dict, operations) -> dict:
    try:
        return jsonpatch.apply_patch(current, operations)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError, ValueError, KeyError) as exc:
        raise FhirError(422, f"JSON Patch inapplicable : {str(exc)[:200]}", code="invalid") from None
