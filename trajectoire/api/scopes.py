"""SMART scopes: `system/<Resource|*>.<read|write|*>` (v1) and `.<cruds>` (v2, e.g. `.rs`, `.cu`)."""

from __future__ import annotations

import re

_SCOPE_RE = re.compile(r"^system/(\*|[A-Z][A-Za-z]{1,40})\.(read|write|\*|c?r?u?d?s?)$")
_V1 = {"read": "rs", "write": "cud", "*": "cruds"}
# What each interaction needs.
NEEDS = {"read": "r", "search-type": "s", "create": "c", "update": "u", "patch": "u", "delete": "d"}


def parse(scope_text: str) -> dict[str, set[str]] | None:
    """{resource type or '*': permitted letters}; None when a scope is malformed."""
    granted: dict[str, set[str]] = {}
    for scope in (scope_text or "").split():
        match = _SCOPE_RE.match(scope)
        if not match or not match[2]:
            return None
        letters = _V1.get(match[2], match[2])
        granted.setdefault(match[1], set()).update(letters)
    return granted


def allows(granted: dict[str, set[str]], resource_type: str, interaction: str) -> bool:
    letter = NEEDS[interaction]
    return letter in granted.get(resource_type, set()) or letter in granted.get("*", set())


def narrow(requested: str, registered: str) -> str | None:
    """The requested scopes the client is registered for (each must be covered), or None if one is not."""
    wanted, allowed = parse(requested), parse(registered) or {}
    if wanted is None:
        return None
    for resource_type, letters in wanted.items():
        covering = allowed.get(resource_type, set()) | allowed.get("*", set())
        if resource_type == "*":
            covering = allowed.get("*", set())
        if not letters <= covering:
            return None
    return " ".join(requested.split())
