"""Searchset Bundles: strict parameters, pages with `next` links, `_include`, one audit line per page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime

from trajectoire.audit.enums import Action
from trajectoire.audit.services import event, record_all

from .fhir import FhirError
from .registry import COMMON_SEARCH, ResourceDef

_PREFIXES = {"eq": "", "gt": "__gt", "ge": "__gte", "lt": "__lt", "le": "__lte"}


def check_params(definition: ResourceDef, params) -> None:
    known = {p.name for p in (*definition.search_params, *COMMON_SEARCH)} | {"_format"}
    if definition.includes:
        known.add("_include")
    for name, values in params.lists():
        if any("\x00" in value for value in values):
            raise FhirError(400, "Caractère nul interdit dans les paramètres.", code="invalid")
        if name not in known:
            raise FhirError(400, f"Paramètre de recherche non pris en charge : « {name[:60]} ».", code="not-supported")
    for value in params.getlist("_include"):
        if value not in definition.includes:
            raise FhirError(400, f"_include non pris en charge : « {value[:60]} ».", code="not-supported")


def integer(params, name: str, default: int, maximum: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) > maximum:
        raise FhirError(400, f"« {name} » doit être un entier entre 0 et {maximum}.", code="invalid")
    return int(raw)


def date_filter(field: str, value: str) -> dict:
    """`gt2026-05-01`, `ge2026-05-01T10:00:00+02:00`, `2026-05-01` → a queryset filter."""
    prefix = value[:2] if value[:2] in _PREFIXES else "eq"
    text = value[2:] if value[:2] in _PREFIXES else value
    try:
        moment = parse_datetime(text) or parse_date(text)
    except ValueError:
        moment = None
    if moment is None:
        raise FhirError(400, f"Date invalide : « {value[:40]} » (attendu AAAA-MM-JJ ou un instant ISO 8601).")
    if not hasattr(moment, "hour"):
        field = f"{field}__date"
    return {f"{field}{_PREFIXES[prefix]}": moment}


def bundle(
    ctx, definition: ResourceDef, queryset, serialize, *, params, includes=None, audit=False, keys_first=False
) -> dict:
    """One page of `queryset` (already filtered by what the client may see) as a searchset Bundle.

    `keys_first`: sort and cut the page on the table's own columns, then load its rows with their joins and
    annotations (`page`). `includes(rows, events)` returns the included resources and appends the audit events
    of what it read to `events`: the page's and the includes' audit rows are written together, in one INSERT
    once the whole Bundle is built (nothing written when it fails first)."""
    count = integer(params, "_count", 20, settings.API_PAGE_SIZE_MAX)
    offset = integer(params, "_offset", 0, 10_000_000)
    rows = page(queryset, offset, count + 1) if keys_first else list(queryset[offset : offset + count + 1])
    has_next, rows = len(rows) > count, rows[:count]
    base = ctx.request.build_absolute_uri("/fhir/")
    entries = [
        {"fullUrl": f"{base}{definition.type}/{row.pk}", "resource": serialize(row), "search": {"mode": "match"}}
        for row in rows
    ]
    events = []
    if includes:
        for resource in includes(rows, events):
            entries.append(
                {
                    "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                    "resource": resource,
                    "search": {"mode": "include"},
                }
            )
    query = [(k, v) for k in params for v in params.getlist(k) if k != "_offset"]
    links = [{"relation": "self", "url": _url(base, definition.type, query, offset)}]
    if has_next:
        links.append({"relation": "next", "url": _url(base, definition.type, query, offset + count)})
    if audit and rows:
        events.append(
            event(
                Action.VIEW,
                actor=ctx.user,
                object_type=f"fhir.{definition.type.lower()}",
                ids=[row.pk for row in rows],
                api_client=ctx.client.client_id,
            )
        )
    record_all(events)
    return {"resourceType": "Bundle", "type": "searchset", "link": links, "entry": entries}


def page(queryset, offset: int, size: int) -> list:
    """`list(queryset[offset : offset + size])`, the page cut on the table's own columns before the joins.

    With its joins (select_related) around the sort, PostgreSQL joined every open demande of a busy structure
    (1,400) before sorting them to keep 21 (docs/performance.md); a key subquery with its LIMIT cannot be
    flattened, so the joins see only the page's rows. Same filters, same order: the same page.
    """
    return list(queryset.filter(pk__in=queryset.values("pk")[offset : offset + size]))


def _url(base: str, resource_type: str, query: list, offset: int) -> str:
    return f"{base}{resource_type}?{urlencode([*query, ('_offset', offset)])}"


def listing(ctx, definition: ResourceDef, resources: list[dict], params) -> dict:
    """A searchset of a few generated resources (CodeSystems, Questionnaires): same paging rules."""
    check_params(definition, params)
    count = integer(params, "_count", settings.API_PAGE_SIZE_MAX, settings.API_PAGE_SIZE_MAX)
    offset = integer(params, "_offset", 0, 10_000_000)
    base = ctx.request.build_absolute_uri("/fhir/")
    page = resources[offset : offset + count]
    entries = [
        {"fullUrl": f"{base}{definition.type}/{r['id']}", "resource": r, "search": {"mode": "match"}} for r in page
    ]
    query = [(k, v) for k in params for v in params.getlist(k) if k != "_offset"]
    links = [{"relation": "self", "url": _url(base, definition.type, query, offset)}]
    if offset + count < len(resources):
        links.append({"relation": "next", "url": _url(base, definition.type, query, offset + count)})
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources), "link": links, "entry": entries}
