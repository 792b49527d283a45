"""Every URL pattern of the project, walked from the resolver, with values for its arguments.

A new view is covered without a new test: its pattern is found here, its arguments filled from their name
(plausible ids of existing objects) and with hostile values the converter lets through.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from trajectoire.demandes.workflow import TRANSITIONS

HOSTILE = [
    "²",
    "٣",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1",
    "0",
    "9223372036854775808",
    "-9223372036854775809",
    "1" * 23,
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "'\"><img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "%",
    "",
    " ",
    "https://evil.example/",
    "//evil.example",
    "1.5",
    "é" * 300,
]
HOSTILE_IDS = ["0", "9223372036854775807", "9223372036854775808", "1" * 23]
HOSTILE_SEGMENTS = ["²", "٣", "NaN", "\x00", "x" * 500, "<script>alert(1)</script>", "'\"", "%"]

# Argument name (or namespace:name) -> kind of object in World.ids
ARG_KINDS = {
    "pk": "dossier",
    "patients:pk": "patient",
    "demandes:pk": "demande",
    "dossier_id": "dossier",
    "demande_id": "demande",
    "structure_id": "structure",
    "membership_id": "membership",
    "unite_id": "unite",
    "notification_id": "notification",
    "finess": "finess",
}
SECTION_KEYS = ["identite", "medical", "aggir", "besoins_soins", "livret", "administratif"]


@dataclass
class Route:
    name: str  # namespace:name
    args: dict  # argument name -> converter (None for a regex group)


def routes() -> list[Route]:
    found = []

    def walk(patterns, namespace, args):
        for p in patterns:
            own = dict(p.pattern.converters) if isinstance(p.pattern, RoutePattern) else {}
            own.update({k: None for k in p.pattern.regex.groupindex if k not in own})
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
                walk(p.url_patterns, ns, {**args, **own})
            elif isinstance(p, URLPattern) and p.name:
                found.append(Route(f"{namespace}:{p.name}".strip(":"), {**args, **own}))

    walk(get_resolver().url_patterns, "", {})
    return sorted(found, key=lambda r: r.name)


def _plausible(route: Route, arg: str, world) -> list[str]:
    namespace = route.name.split(":")[0]
    kind = ARG_KINDS.get(f"{namespace}:{arg}") or ARG_KINDS.get(arg)
    if kind:
        return [str(v) for v in world.ids[kind]]
    if arg == "key":
        return SECTION_KEYS
    if arg == "action":
        return sorted(TRANSITIONS)
    if arg == "object_id":  # the Django admin: the first rows of the model in the URL name
        match = re.match(r"admin:(\w+?)_(\w+)_\w+$", route.name)
        model = _model(match.group(1), match.group(2)) if match else None
        found = [str(pk) for pk in model.objects.values_list("pk", flat=True)[:2]] if model else []
        return found or ["1"]
    if arg == "app_label":
        return sorted({m._meta.app_label for m in apps.get_models()})[:3]
    return ["1", "abc"]


def _model(app_label, model_name):
    for model in apps.get_models():
        if model._meta.app_label == app_label and model._meta.model_name == model_name:
            return model
    return None


def paths(route: Route, world, rng: random.Random, plausible: int = 4, hostile: int = 1) -> tuple[list, list]:
    """Concrete paths: up to `plausible` with ids of existing objects, and `hostile` ones with values the
    converter accepts but the database may not hold (huge ids, unicode, NUL, markup)."""
    if not route.args:
        return [reverse(route.name)], []
    choices = {a: _plausible(route, a, world) for a in route.args}
    good = []
    for i in range(plausible):
        good.append(_reverse(route, {a: values[i % len(values)] for a, values in choices.items()}))
    bad = []
    for _ in range(hostile):
        kwargs = {}
        for arg, converter in route.args.items():
            pool = HOSTILE_IDS if isinstance(converter, IntConverter) else HOSTILE_SEGMENTS
            kwargs[arg] = rng.choice(pool + choices[arg][:1])
        bad.append(_reverse(route, kwargs))
    return [p for p in dict.fromkeys(good) if p], [p for p in dict.fromkeys(bad) if p and p not in good]


def _reverse(route, kwargs):
    try:
        return reverse(route.name, kwargs=kwargs)
    except Exception:  # a value the converter refuses cannot be requested: nothing to test
        return None


_NAME = re.compile(r"""\.(?:GET|POST|data)\.get(?:list)?\(\s*["']([\w-]+)["']|\.(?:GET|POST)\[\s*["']([\w-]+)["']""")
_FIELD = re.compile(r"""^\s+(\w+)\s*=\s*forms\.\w+""", re.MULTILINE)


def source_names() -> list[str]:
    """Query and form field names read anywhere in the code (request.GET/POST and form declarations)."""
    names = set()
    root = Path(__file__).resolve().parents[2] / "trajectoire"
    for source in root.rglob("*.py"):
        text = source.read_text()
        names |= {a or b for a, b in _NAME.findall(text)}
        names |= set(_FIELD.findall(text))
    return sorted(names)


_INPUT = re.compile(r"""<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"(?:[^>]*\bvalue="([^"]*)")?""")


def form_fields(html: str) -> dict[str, str]:
    """Field names and default values of the forms of a page."""
    return {name: value for name, value in _INPUT.findall(html) if name != "csrfmiddlewaretoken"}


_TAG = re.compile(r"<input\b[^>]*>")
_ATTR = re.compile(r'\b(type|name)="([^"]*)"')
TYPED_HOSTILE = {
    "date": ["0001-01-01", "9999-12-31", "31/12/9999", "2026-02-30", "0000-00-00", "-1"],
    "number": ["²", "NaN", "sNaN", "Infinity", "1e400", "-1", "9223372036854775808", "1" * 23, "1.5"],
}


def typed_fields(html: str) -> dict[str, str]:
    """Date and number inputs of a page: name -> type (they get values of their own kind, one at a time)."""
    out = {}
    for tag in _TAG.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type") in TYPED_HOSTILE and attrs.get("name"):
            out[attrs["name"]] = attrs["type"]
    return out
