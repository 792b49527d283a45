"""Panels: what an app shows on a page owned by another app, without the owner importing it.

A setting lists dotted paths of functions `panel(request, *args) -> Panel | None` (e.g. DASHBOARD_PANELS for
`/tableau-de-bord/`, DOSSIER_PANELS for a dossier's page); `collect()` calls them and sorts by `order`.
"""

from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@cache
def _functions(setting: str):
    return tuple(import_string(path) for path in getattr(settings, setting))


def collect(setting: str, request, *args) -> list[Panel]:
    panels = (func(request, *args) for func in _functions(setting))
    return sorted((p for p in panels if p is not None), key=lambda p: p.order)
