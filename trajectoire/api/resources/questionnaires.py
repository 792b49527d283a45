"""Questionnaire = one section form of the registry (`dossiers/sections.py`); QuestionnaireResponse = a saved
section, validated by the same Django form (`dossiers.services.validate_section`), errors per item."""

from __future__ import annotations

from django import forms

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record
from trajectoire.dossiers import access
from trajectoire.dossiers import services as dossier_services
from trajectoire.dossiers.models import Dossier, Section
from trajectoire.dossiers.sections import REGISTRY

from ..fhir import PROJECT_BASE, FhirError, NotFound, elements, instant, issue, ref, reference_id
from ..registry import ResourceDef, SearchParam, register
from ..search import bundle, check_params, listing


def questionnaire_id(domain: str, key: str) -> str:
    return f"{domain}-{key}".replace("_", "-")  # FHIR ids allow no underscore


SECTIONS = {questionnaire_id(domain, d.key): (domain, d) for domain, defs in REGISTRY.items() for d in defs}


def canonical(qid: str) -> str:
    return f"{PROJECT_BASE}/Questionnaire/{qid}"


def _flat(choices):
    for key, value in choices:
        if isinstance(value, list | tuple):
            yield from _flat(value)
        elif key != "":
            yield key, value


def _item(name: str, field) -> dict:
    item = {"linkId": name, "text": str(field.label or name), "required": bool(field.required)}
    if isinstance(field, forms.MultipleChoiceField | forms.ChoiceField):
        item["type"] = "choice"
        item["repeats"] = isinstance(field, forms.MultipleChoiceField)
        item["answerOption"] = [{"valueCoding": {"code": str(k), "display": str(v)}} for k, v in _flat(field.choices)]
    elif isinstance(field, forms.BooleanField):
        item["type"] = "boolean"
    elif isinstance(field, forms.DateField):
        item["type"] = "date"
    elif isinstance(field, forms.IntegerField):
        item["type"] = "integer"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        item["type"] = "decimal"
    else:
        item["type"] = "text" if isinstance(field.widget, forms.Textarea) else "string"
        if getattr(field, "max_length", None):
            item["maxLength"] = field.max_length
    return item


def questionnaire(qid: str) -> dict:
    domain, definition = SECTIONS[qid]
    form = definition.form_class(dossier=None)
    return {
        "resourceType": "Questionnaire",
        "id": qid,
        "url": canonical(qid),
        "name": qid.replace("-", "_"),
        "title": definition.title,
        "status": "active",
        "subjectType": ["Patient"],
        "code": [{"system": f"{PROJECT_BASE}/CodeSystem/domaine", "code": domain}],
        "item": [_item(name, field) for name, field in form.fields.items()],
    }


def read_questionnaire(ctx, qid):
    if qid not in SECTIONS:
        raise NotFound("Questionnaire inconnu.")
    return questionnaire(qid)


def search_questionnaires(ctx, params):
    url = params.get("url")
    found = [questionnaire(q) for q in SECTIONS if not url or canonical(q) == url]
    return listing(ctx, QUESTIONNAIRE, found, params)


# QuestionnaireResponse ---------------------------------------------------------------------------------------
def _answers(value) -> list:
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if v in ("", None):
            continue
        if isinstance(v, bool):
            out.append({"valueBoolean": v})
        else:
            out.append({"valueString": str(v)})
    return out


def questionnaire_response(section: Section, dossier: Dossier) -> dict:
    qid = questionnaire_id(dossier.domain, section.key)
    items = [{"linkId": k, "answer": _answers(v)} for k, v in (section.data or {}).items() if _answers(v)]
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(section.pk),
        "meta": {"lastUpdated": instant(section.updated_at)},
        "questionnaire": canonical(qid),
        "status": "completed" if section.is_valid else "in-progress",
        "basedOn": [ref("ServiceRequest", dossier.pk)],
        "subject": ref("Patient", dossier.patient_id),
        "authored": instant(section.updated_at),
        "item": items,
    }
    return {k: v for k, v in resource.items() if v != []}


def _readable_sections(ctx):
    return Section.objects.filter(dossier__in=Dossier.objects.visible_to(ctx.user)).select_related("dossier")


def read_response(ctx, pk):
    section = _readable_sections(ctx).filter(pk=pk).first()
    if section is None or (section.is_medical and not access.can_view_medical(ctx.user, section.dossier)):
        raise NotFound("Réponse introuvable.")
    action = Action.VIEW_MEDICAL if section.is_medical else Action.VIEW
    record(action, actor=ctx.user, obj=section.dossier, section=section.key, api_client=ctx.client.client_id)
    return questionnaire_response(section, section.dossier)


def search_responses(ctx, params):
    check_params(QUESTIONNAIRE_RESPONSE, params)
    if not params.get("based-on"):
        raise FhirError(400, "Précisez based-on=ServiceRequest/<id>.", code="required")
    dossier = Dossier.objects.visible_to(ctx.user).filter(pk=reference_id(params["based-on"], "ServiceRequest")).first()
    sections = Section.objects.none()
    if dossier is not None:
        sections = dossier.sections.order_by("pk")
        if not access.can_view_medical(ctx.user, dossier):
            sections = sections.filter(is_medical=False)
    return bundle(
        ctx, QUESTIONNAIRE_RESPONSE, sections, lambda s: questionnaire_response(s, dossier), params=params, audit=True
    )


def _value(answer: dict):
    for key in ("valueCoding", "valueString", "valueBoolean", "valueDate", "valueInteger", "valueDecimal"):
        if key in answer:
            value = answer[key]
            return str(value.get("code", "")) if key == "valueCoding" and isinstance(value, dict) else value
    raise FhirError(400, "Réponse sans valeur reconnue (valueCoding, valueString, valueDate…).", code="structure")


def response_post(body: dict, qid: str) -> dict:
    """The QuestionnaireResponse's answers as the form's input (the same shape a web POST gives)."""
    form = SECTIONS[qid][1].form_class(dossier=None)
    post: dict = {}
    for item in elements(body, "item"):
        if not isinstance(item, dict) or item.get("linkId") not in form.fields:
            link = str(item.get("linkId") if isinstance(item, dict) else "")[:60]
            raise FhirError(422, f"Question inconnue : « {link} ».", code="invalid", issues=None)
        values = [_value(a) for a in elements(item, "answer")]
        field = form.fields[item["linkId"]]
        if isinstance(field, forms.MultipleChoiceField):
            post[item["linkId"]] = [str(v) for v in values]
        elif isinstance(field, forms.BooleanField):
            post[item["linkId"]] = bool(values and values[0] is True)
        else:
            post[item["linkId"]] = str(values[0]) if values else ""
    return post


def save_response(ctx, dossier: Dossier, body: dict) -> Section:
    """Validate with the section's form; a 422 listing each item's errors when invalid (the caller rolls back)."""
    qid = str(body.get("questionnaire") or "").rpartition("/")[2]
    if qid not in SECTIONS or SECTIONS[qid][0] != dossier.domain:
        raise FhirError(422, "« questionnaire » doit désigner une section du domaine du dossier.", code="invalid")
    section, _form = dossier_services.validate_section(
        dossier, SECTIONS[qid][1].key, response_post(body, qid), by=ctx.user
    )
    if section.errors:
        issues = [
            issue(f"{message}", code="invalid", expression=f"QuestionnaireResponse.item.where(linkId='{field}')")
            for field, messages in section.errors.items()
            for message in messages
        ]
        raise FhirError(422, "Réponses invalides.", code="invalid", issues=issues)
    return section


def create_response(ctx, body):
    if not isinstance(body, dict) or body.get("resourceType") != "QuestionnaireResponse":
        raise FhirError(400, "Le corps doit être une ressource QuestionnaireResponse.", code="structure")
    based_on = (elements(body, "basedOn") or [{}])[0]
    dossier_id = reference_id(str(based_on.get("reference", "")), "ServiceRequest")
    dossier = Dossier.objects.visible_to(ctx.user).filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFound("Demande de prise en charge introuvable.")
    if not access.can_edit(ctx.user, dossier):
        raise FhirError(403, "Seuls l’auteur et le médecin du dossier peuvent le compléter.", code="forbidden")
    from django.db import transaction

    with transaction.atomic():
        section = save_response(ctx, dossier, body)
    record(Action.UPDATE, actor=ctx.user, obj=dossier, section=section.key, api_client=ctx.client.client_id)
    return questionnaire_response(section, dossier)


QUESTIONNAIRE = register(
    ResourceDef(
        "Questionnaire",
        "Sections du dossier de chaque domaine, générées depuis les formulaires de l’application.",
        read=read_questionnaire,
        search=search_questionnaires,
        search_params=(SearchParam("url", "uri", "Adresse canonique."),),
        text_ids=True,
    )
)
QUESTIONNAIRE_RESPONSE = register(
    ResourceDef(
        "QuestionnaireResponse",
        "Une section saisie d’un dossier, validée par les mêmes règles que la page web.",
        read=read_response,
        search=search_responses,
        search_params=(SearchParam("based-on", "reference", "ServiceRequest/<id> (obligatoire)."),),
        create=create_response,
    )
)
