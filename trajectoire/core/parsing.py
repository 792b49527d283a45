"""Parsing what a request carries into what the database can hold: ids, numbers, safe redirects.

`str.isdigit()` accepts « ² » and « ٣ », `int()` accepts « ٣ » and 23-digit numbers, `Decimal()` and `float()`
accept « NaN » and « Infinity »: each of these reached a query and answered HTTP 500. Every view reads ids and
numbers from the query string or a form through these helpers (or a form field that uses them), and URL
ids through the `id` path converter, so hostile input is a 404 or a French message, never a server error.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.http import url_has_allowed_host_and_scheme

ID_MAX = 2**63 - 1  # BigAutoField (PostgreSQL bigint, SQLite INTEGER)
_ASCII_ID = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """A database id (1 … 2**63 − 1, ASCII digits only) or None."""
    if not isinstance(value, str) or not _ASCII_ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= ID_MAX else None


def parse_ids(values) -> list[int]:
    """The valid ids of a list (e.g. `request.POST.getlist("unites")`), in order, without duplicates."""
    return list(dict.fromkeys(i for i in map(parse_id, values) if i is not None))


def parse_decimal(value, *, max_value: Decimal | None = Decimal("1e9")) -> Decimal | None:
    """A finite decimal within ±max_value, or None (« NaN », « sNaN », « Infinity », « 1e400 » are refused)."""
    if not value or not isinstance(value, str) or len(value) > 40:
        return None
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite() or (max_value is not None and abs(number) > max_value):
        return None
    return number


def parse_float(value, *, max_value: float = 1e9) -> float | None:
    """A finite float within ±max_value, or None."""
    number = parse_decimal(value, max_value=Decimal(str(max_value)))
    return float(number) if number is not None else None


def safe_next(request, value, fallback: str) -> str:
    """A redirect target on this site only (never `https://evil.example/` nor `//evil.example`)."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return fallback
