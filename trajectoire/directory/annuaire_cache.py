"""The public annuaire's result lists, cached: the same public criteria give the same list to everyone.

A list is kept `settings.ANNUAIRE_CACHE_SECONDS` (60 s; 0: no cache) under a key made of the criteria and of
the directory's version. Every write to the directory changes that version, so a new search never shows an
older list: a unit's places (directory.services), any save or delete of a commune, structure, unit or price
(signals, the admin included), and each reference import (`changes_annuaire` on the importers, whose bulk
writes send no signal). The lifetime bounds what no version sees: the ranking's « places déclarées depuis moins
de N jours » moving with time, and a list computed on a lagging replica (core.db_router) just after a change.
Nothing personal is cached: the annuaire is public and its results do not depend on who asks.

Memory: every new key costs the server a whole search first, so the lists stored at any time are at most the
searches the servers can compute in one lifetime (≈ 40 per second per server here × 60 s), each compressed
(zlib, ≈ 5 KB for 50 results): a visitor sending endless new criteria cannot fill the shared cache faster than
the servers search, and each list leaves after 60 s.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from dataclasses import asdict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "annuaire:version"


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY, 1)
    return current


def bump(**_) -> None:
    """The directory changed: searches made from now on compute their lists again (after the commit)."""

    def _bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet (or evicted): any new value differs from the keys in use
            cache.set(VERSION_KEY, 2, timeout=None)

    transaction.on_commit(_bump)


def changes_annuaire(function):
    """For the importers: the directory's version changes once the import is done (or has failed midway)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            bump()

    return wrapper


def key(criteres, **options) -> str:
    text = repr(sorted({**asdict(criteres), **options}.items()))
    return f"annuaire:{version()}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached_html(criteres, render, **options) -> str:
    """`render()` (the results' HTML) once per criteria and directory version; None from it is not kept."""
    if not settings.ANNUAIRE_CACHE_SECONDS:
        return render()
    cache_key = key(criteres, **options)
    stored = cache.get(cache_key)
    if stored is not None:
        return zlib.decompress(stored).decode()
    html = render()
    if html is not None:
        cache.set(cache_key, zlib.compress(html.encode(), 6), settings.ANNUAIRE_CACHE_SECONDS)
    return html
