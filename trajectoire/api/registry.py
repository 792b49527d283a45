"""The one table of what the API serves: the router dispatches from it, and the CapabilityStatement and the
OpenAPI document are generated from it, so neither can announce what is not implemented."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: str  # FHIR search parameter type: token, reference, date, string, number, special, quantity
    documentation: str


@dataclass
class ResourceDef:
    type: str
    documentation: str
    read: Callable | None = None  # (ctx, id) -> resource dict
    search: Callable | None = None  # (ctx, params) -> searchset Bundle dict
    search_params: tuple[SearchParam, ...] = ()
    includes: tuple[str, ...] = ()
    create: Callable | None = None  # (ctx, body) -> (resource dict, status)
    update: Callable | None = None  # (ctx, id, body, if_match) -> resource dict
    patch: Callable | None = None  # (ctx, id, operations, if_match) -> resource dict
    profile: str = ""
    versioned: bool = False
    text_ids: bool = False  # ids are names (CodeSystem, Questionnaire), not numbers
    extra: dict = field(default_factory=dict)

    @property
    def interactions(self) -> list[str]:
        pairs = [
            ("read", self.read),
            ("search-type", self.search),
            ("create", self.create),
            ("update", self.update),
            ("patch", self.patch),
        ]
        return [name for name, handler in pairs if handler is not None]


REGISTRY: dict[str, ResourceDef] = {}
COMMON_SEARCH = (
    SearchParam("_count", "number", "Nombre de résultats par page (100 au plus)."),
    SearchParam("_offset", "number", "Rang du premier résultat (pagination, suivre le lien « next »)."),
)


def register(definition: ResourceDef) -> ResourceDef:
    REGISTRY[definition.type] = definition
    return definition


def load() -> dict[str, ResourceDef]:
    """Import the resource modules (each registers itself) once."""
    from .resources import (  # noqa: F401
        codesystems,
        communication,
        directory,
        questionnaires,
        referral,
        subscription,
        task,
    )

    return REGISTRY
