"""The care-needs thesaurus (versioned data file), shared by units' capabilities and dossiers' needs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

THESAURUS_FILE = Path(__file__).parent / "data" / "thesaurus.json"


@dataclass(frozen=True)
class Besoin:
    code: str
    label: str
    categorie: str


@cache
def _load() -> tuple[str, dict[str, Besoin]]:
    data = json.loads(THESAURUS_FILE.read_text(encoding="utf-8"))
    return data["version"], {item["code"]: Besoin(**item) for item in data["besoins"]}


def version() -> str:
    return _load()[0]


def besoins() -> dict[str, Besoin]:
    return _load()[1]


def choices() -> list[tuple[str, str]]:
    return [(b.code, b.label) for b in besoins().values()]


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for b in besoins().values():
        groups.setdefault(b.categorie, []).append((b.code, b.label))
    return list(groups.items())


def unknown_codes(codes) -> list[str]:
    known = besoins()
    return [code for code in codes if code not in known]


def label(code: str) -> str:
    item = besoins().get(code)
    return item.label if item else code
